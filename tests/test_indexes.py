"""The indexes that the lists' filters, joins, orderings and searches rely on exist.

Each entry names the leading columns an index must start with; the trigram indexes behind
the `q` searches exist on PostgreSQL only (SQLite scans, see people.core.search).
"""

from __future__ import annotations

import pytest
from django.db import connection

from people.contacts.models import Contact
from people.core.models import AuditEntry, OutboxMessage
from people.identity.models import Organization, User
from people.mail.models import Alias, Mailbox, MailDomain, MailDomainAccess, MailDomainInvitation
from people.teams.models import Invitation, Team, TeamAccess

pytestmark = pytest.mark.django_db

NEEDED = [
    # users/: the caller's organization, newest first; exact e-mail for invitations
    (User, ["organization_id", "created_at"]),
    (User, ["email"]),
    # teams/: the caller's accesses, member counts, children counts, ancestors by path
    (TeamAccess, ["user_id", "team_id"]),
    (TeamAccess, ["team_id", "user_id"]),
    # teams/{id}/accesses/: a page in its order (role, id) read from the index, 20 rows of the team
    (TeamAccess, ["team_id", "role", "id"]),
    (Team, ["parent_id"]),
    (Team, ["path"]),
    (Team, ["organization_id", "created_at"]),
    # teams/{id}/invitations/: newest first; acceptance at sign-in by e-mail
    (Invitation, ["team_id", "created_at"]),
    (Invitation, ["email"]),
    # contacts/: own contacts by name, overrides, profile cards
    (Contact, ["owner_id", "full_name"]),
    (Contact, ["override_id"]),
    (Contact, ["user_id"]),
    # service-providers/: the organization's links
    (Organization.service_providers.through, ["organization_id"]),
    (Team.service_providers.through, ["team_id"]),
    # mail-domains/: the caller's accesses; each domain's mailboxes (count, newest first),
    # aliases by name, accesses and invitations newest first, invitations by e-mail at sign-in;
    # the periodic check by status and last check; outbox messages of one object in order
    (MailDomainAccess, ["user_id", "domain_id"]),
    (MailDomainAccess, ["domain_id", "created_at"]),
    (MailDomainAccess, ["domain_id", "role"]),
    (Mailbox, ["domain_id", "created_at"]),
    (Mailbox, ["domain_id", "local_part"]),
    (Alias, ["domain_id", "local_part"]),
    (MailDomainInvitation, ["domain_id", "created_at"]),
    (MailDomainInvitation, ["email"]),
    (MailDomain, ["status", "last_check_at"]),
    (MailDomain, ["slug"]),
    (OutboxMessage, ["ordering_key", "created_at"]),
    # admin audit trail by target and by actor
    (AuditEntry, ["target_type", "target_id", "created_at"]),
    (AuditEntry, ["actor_id", "created_at"]),
]


def leading_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [info["columns"] for info in constraints.values() if info["index"] or info["unique"] or info["primary_key"]]


@pytest.mark.parametrize(("model", "columns"), NEEDED, ids=lambda v: v._meta.db_table if hasattr(v, "_meta") else "-".join(v))
def test_lists_are_served_by_an_index(model, columns):
    indexes = leading_columns(model._meta.db_table)
    assert any(index[: len(columns)] == columns for index in indexes), (model._meta.db_table, columns, indexes)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "column"),
    [(User, "search_text"), (Team, "search_text"), (Contact, "search_text"), (Mailbox, "search_text"), (MailDomain, "name")],
    ids=lambda value: value._meta.db_table if hasattr(value, "_meta") else value,
)
def test_searches_are_served_by_a_trigram_index(model, column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [model._meta.db_table, "%gin_trgm_ops%"],
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any(f"({column} gin_trgm_ops)" in definition for definition in definitions), definitions
