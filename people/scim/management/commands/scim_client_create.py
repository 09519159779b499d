"""`manage.py scim_client_create --name NAME --organization DOMAIN_OR_REGISTRATION_ID`: prints the
provisioning client's bearer token alone on the last line (shown once, only its digest is stored)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from people.core import audit
from people.core.models import Audience
from people.identity.models import IdentifierKind, OrganizationIdentifier, normalize_domain
from people.scim.services import scim_client_create


class Command(BaseCommand):
    help = "Create a SCIM provisioning client of an organization; prints its bearer token once."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--organization", required=True, help="a mail domain or a registration id of the organization")

    def handle(self, *args, name: str, organization: str, **options):
        value = organization.strip()
        row = (
            OrganizationIdentifier.objects.select_related("organization")
            .filter(kind=IdentifierKind.REGISTRATION_ID, value=value).first()
            or OrganizationIdentifier.objects.select_related("organization")
            .filter(kind=IdentifierKind.DOMAIN, value=normalize_domain(value)).first()
        )
        if row is None:
            raise CommandError(f"no organization has the registration id or mail domain {value!r}")
        try:
            with audit.acting_as(Audience.OPERATOR):
                client, token = scim_client_create(actor=None, name=name, organization=row.organization)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created the SCIM client {client.name} of {row.organization.name}. Its token, shown only now:")
        self.stdout.write(token)
