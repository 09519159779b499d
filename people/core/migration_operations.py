"""Migration operations that only apply on PostgreSQL (SQLite runs the portable fallback)."""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(table: str, column: str = "search_text") -> PostgresOnlySQL:
    """A GIN trigram index serving `LIKE '%term%'` on `column` (see people.core.search)."""
    name = f"{table}_{column}_trgm"
    return PostgresOnlySQL(
        sql=[
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)',
        ],
        reverse_sql=[f'DROP INDEX IF EXISTS "{name}"'],
    )
