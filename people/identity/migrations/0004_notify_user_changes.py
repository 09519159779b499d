"""`NOTIFY people_user_changed` for every updated or deleted user (payload: its `sub`) or
organization (payload: `*`), whatever wrote it: the resource server's processes keep users
while they hear nothing of them (people.resource_server.known_users). PostgreSQL only."""

from django.db import migrations

from people.core.migration_operations import PostgresOnlySQL

FUNCTION = """
CREATE OR REPLACE FUNCTION people_notify_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'identity_user' THEN
        IF OLD.sub IS NOT NULL THEN
            PERFORM pg_notify('people_user_changed', OLD.sub);
        END IF;
    ELSE
        PERFORM pg_notify('people_user_changed', '*');
    END IF;
    RETURN NULL;
END
$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0003_user_language_default_french"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=[
                FUNCTION,
                "CREATE TRIGGER identity_user_notify_changed AFTER UPDATE OR DELETE ON identity_user "
                "FOR EACH ROW EXECUTE FUNCTION people_notify_user_changed()",
                "CREATE TRIGGER identity_organization_notify_changed AFTER UPDATE OR DELETE ON identity_organization "
                "FOR EACH ROW EXECUTE FUNCTION people_notify_user_changed()",
            ],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS identity_organization_notify_changed ON identity_organization",
                "DROP TRIGGER IF EXISTS identity_user_notify_changed ON identity_user",
                "DROP FUNCTION IF EXISTS people_notify_user_changed()",
            ],
        ),
    ]
