"""The configurable unique index on users' e-mail addresses (USER_EMAIL_UNIQUE).

With the setting on, the database itself refuses a second account with an address (a partial
unique index over the users that have one), so that two concurrent first sign-ins cannot both
create one; the services check first and give the clear message. With it off, the index is
dropped and several accounts may share an address. The index follows the setting each time
`migrate` runs (post_migrate), so switching means changing the setting and migrating again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count

INDEX_NAME = "identity_user_email_unique"


def email_index_sync(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create or drop the index to match USER_EMAIL_UNIQUE; returns whether it exists now.

    Raises ImproperlyConfigured, naming the setting and a few addresses, when the setting is
    on but some addresses already belong to several users.
    """
    from people.identity.models import User

    connection = connections[using]
    quote = connection.ops.quote_name
    table, column = User._meta.db_table, User._meta.get_field("email").column
    if table not in connection.introspection.table_names():
        return False  # migrated only partly: the next `migrate` of this app comes back here
    with connection.cursor() as cursor:
        if not settings.USER_EMAIL_UNIQUE:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(INDEX_NAME)}")
            return False
        shared = list(
            User.objects.using(using)
            .exclude(email=None)
            .values("email")
            .annotate(accounts=Count("pk"))
            .filter(accounts__gt=1)
            .values_list("email", flat=True)[:5]
        )
        if shared:
            raise ImproperlyConfigured(
                "USER_EMAIL_UNIQUE is on but these e-mail addresses belong to several users: "
                f"{', '.join(shared)}. Change or merge those accounts, or set USER_EMAIL_UNIQUE=false."
            )
        cursor.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {quote(INDEX_NAME)} ON {quote(table)} ({quote(column)}) "
            f"WHERE {quote(column)} IS NOT NULL"
        )
    return True


def email_index_sync_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    email_index_sync(using=using)
