"""Every write operation of the client API, with a valid body, on a world where each succeeds.

The bad-input tests send each operation a broken variant of its body and check the answer and
that the database did not change (`snapshot`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from people.identity.models import User
from people.teams.models import TeamRole
from tests import factories

APP_LABELS = ("identity", "teams", "contacts", "mail", "core", "resource_server")


@dataclass
class World:
    owner: User
    client: object
    urls: dict[str, tuple[str, str, dict]]


def make_world(client_for) -> World:
    organization = factories.OrganizationFactory()
    owner = factories.OrganizationAccessFactory(organization=organization).user
    colleague = factories.UserFactory(organization=organization)
    team = factories.TeamFactory(organization=organization, users=[(owner, TeamRole.OWNER)])
    access = factories.TeamAccessFactory(team=team, user=colleague, role=TeamRole.MEMBER)
    invitation = factories.InvitationFactory(team=team)
    contact = factories.ContactFactory(owner=owner)
    domain = factories.MailDomainFactory(organization=organization, users=[(owner, "owner"), colleague])
    mail_access = domain.accesses.get(user=colleague)
    mailbox = factories.MailboxFactory(domain=domain)
    teams = f"/api/v1.0/teams/{team.pk}"
    mail = f"/api/v1.0/mail-domains/{domain.slug}"
    urls = {
        "teams.create": ("post", "/api/v1.0/teams/", {"name": "Archives"}),
        "teams.update": ("patch", f"{teams}/", {"name": "Archives"}),
        "accesses.create": ("post", f"{teams}/accesses/", {"user": str(factories.UserFactory(organization=organization).pk), "role": "member"}),
        "accesses.update": ("patch", f"{teams}/accesses/{access.pk}/", {"role": "administrator"}),
        "invitations.create": ("post", f"{teams}/invitations/", {"email": "new@ville.fr", "role": "member"}),
        "invitations.refresh": ("post", f"{teams}/invitations/{invitation.pk}/refresh/", {}),
        "webhooks.create": ("post", f"{teams}/webhooks/", {"url": "https://service.ville.fr/scim/v2", "secret": "token"}),
        "contacts.create": ("post", "/api/v1.0/contacts/", {"full_name": "Ada", "data": {}}),
        "contacts.update": ("put", f"/api/v1.0/contacts/{contact.pk}/", {"full_name": "Ada", "data": {}}),
        "users.update": ("patch", f"/api/v1.0/users/{owner.pk}/", {"language": "fr-fr"}),
        "organizations.update": ("patch", f"/api/v1.0/organizations/{organization.pk}/", {"name": "Ville"}),
        "mail_domains.create": ("post", "/api/v1.0/mail-domains/", {"name": "ville.fr", "support_email": "support@ville.fr"}),
        "mail_accesses.create": ("post", f"{mail}/accesses/", {"user": str(factories.UserFactory(organization=organization).pk), "role": "viewer"}),
        "mail_accesses.update": ("patch", f"{mail}/accesses/{mail_access.pk}/", {"role": "administrator"}),
        "mail_invitations.create": ("post", f"{mail}/invitations/", {"email": "guest@ville.fr", "role": "viewer"}),
        "mailboxes.create": ("post", f"{mail}/mailboxes/", {"first_name": "Ada", "last_name": "Lovelace", "local_part": "ada"}),
        "mailboxes.update": ("patch", f"{mail}/mailboxes/{mailbox.pk}/", {"first_name": "Augusta"}),
        "aliases.create": ("post", f"{mail}/aliases/", {"local_part": "contact", "destination": "ada@ville.fr"}),
    }
    return World(owner=owner, client=client_for(owner), urls=urls)


def snapshot() -> dict[str, list[dict]]:
    """Every row of People's tables: equal before and after means nothing changed."""
    rows = {}
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows
