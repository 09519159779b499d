"""`manage.py create_account_service NAME --scope team-accesses:create`: prints the key once."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from people.core import audit
from people.core.models import Audience
from people.identity.models import ServiceProvider
from people.resource_server.models import AccountServiceScope
from people.resource_server.services import account_service_create


class Command(BaseCommand):
    help = "Create a trusted service's API key (printed once, only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scope", action="append", dest="scopes", default=[], choices=AccountServiceScope.values,
            help="repeat for several scopes",
        )
        parser.add_argument("--days", type=int, default=None, help="the key expires after this many days")
        parser.add_argument("--audience", default=None, help="limit the key to teams linked to this service provider")

    def handle(self, *args, name: str, scopes: list[str], days: int | None, audience: str | None, **options):
        provider = None
        if audience:
            provider = ServiceProvider.objects.filter(audience_id=audience).first()
            if provider is None:
                raise CommandError(f"no service provider with audience {audience!r}")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            with audit.acting_as(Audience.OPERATOR):
                account, key = account_service_create(
                    actor=None, name=name, scopes=scopes, expires_at=expires_at, service_provider=provider
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(f"Created {account.name}. Its API key (shown only now):")
        self.stdout.write(key)
