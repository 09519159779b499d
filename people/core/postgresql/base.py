"""Django's PostgreSQL backend, made cheaper for the reads every request makes.

Three changes, each measured on `users/me/` and the resource server's calls (`make bench`):

**A kept connection is checked without a round trip.** With `CONN_HEALTH_CHECKS`, Django checks
a kept connection at its first use in each request by sending `SELECT 1`: one more round trip in
every request that reads the database, which on a fast endpoint costs as much as the query the
request came for. An idle connection has nothing to read: the server writes to it only when
asked, or when it ends the session (a restart, `pg_terminate_backend`, an idle timeout of
PgBouncer or of a firewall that closes properly). Then the socket becomes readable, with the
server's notice or the end of the stream. So the check here looks at the socket without
waiting: quiet, the connection is used as is; readable, closed or in an unexpected state,
Django's `SELECT 1` decides, and a failed check closes it so that the request opens a new one,
as before. What neither check can see is a peer gone without a word (a cable cut): `SELECT 1`
would hang there as the request's own query does, so nothing is lost by not sending it.

**Timestamps are parsed by psycopg's C loader.** Django replaces psycopg's `timestamptz` loader
with a Python subclass that sets the time zone afterwards, and parses every timestamp of every
row in Python (a third of the cost of reading the session's user). When the connection's time
zone is UTC, which is Django's with `USE_TZ`, the C loader gives the same value (aware, in
`datetime.timezone.utc`), so it is used.

**The hottest reads are prepared statements** (`prepared_cursor`, used by
`people.core.prepared.PreparedGet`): the server parses and plans them once per connection
instead of at every request. Every other statement keeps Django's client-side binding. Behind
PgBouncer in transaction mode older than 1.21 (or without `max_prepared_statements`), set
`DATABASE_PREPARED_STATEMENTS=false`.
"""

from __future__ import annotations

import datetime
import select

from django.db.backends.postgresql import base, operations
from psycopg import DataError, adapters
from psycopg.adapt import Loader
from psycopg.pq import Format, TransactionStatus

# psycopg's own (C) loader of timestamptz as text, before Django registers its Python one.
_C_TIMESTAMPTZ_LOADER = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
# psycopg prepares a statement when asked (prepare=True) only if a threshold is set; this one
# is never reached by counting, so only the statements asked for are prepared.
_PREPARE_ONLY_WHEN_ASKED = 1_000_000_000


def is_quiet(connection) -> bool:
    """True when the psycopg `connection` is open, idle outside a transaction, and its socket
    has nothing to read: the server has not closed it nor said anything since the last query."""
    if connection.closed or connection.broken or connection.info.transaction_status != TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (OSError, ValueError):
        return False


class UtcTimestamptzLoader(Loader):
    """psycopg's C loader, with the `timezone` attribute Django reads to decide whether a cursor
    needs a loader of its own (it does not: UTC)."""

    timezone = datetime.UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._loader = _C_TIMESTAMPTZ_LOADER(oid, context)
        # psycopg calls `loader.load`: the C method itself, without a Python frame between.
        self.load = self._loader.load

    def load(self, data):  # replaced per instance above; here for Loader's interface
        return self._loader.load(data)


class PreparingCursor(base.ServerBindingCursor):
    """Server-side binding, each statement prepared once per connection and then reused."""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """A prepared statement holds `$1` markers, not the values: the statement is shown with
        its values as the client would have bound them (query logs, counted queries in tests)."""
        if isinstance(cursor, PreparingCursor):
            try:
                return self.compose_sql(sql, params)
            except DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def init_connection_state(self) -> None:
        super().init_connection_state()
        connection = self.connection
        if self.timezone == datetime.UTC and connection.info.parameter_status("TimeZone") == "UTC":
            connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
        if self.prepares_statements and connection.prepare_threshold is None:
            connection.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED

    def close_if_health_check_failed(self) -> None:
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not is_quiet(self.connection) and not self.is_usable():
            self.close()
        self.health_check_done = True

    @property
    def prepares_statements(self) -> bool:
        return self.settings_dict.get("PREPARED_STATEMENTS", True)

    def prepared_cursor(self):
        """A cursor (Django's wrapper: counted, logged, errors translated) whose statements the
        server prepares once per connection; a plain cursor when prepared statements are off."""
        if not self.prepares_statements:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))
