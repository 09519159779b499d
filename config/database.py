"""The database: PostgreSQL from `DATABASE_URL`, else the embedded SQLite file.

Connections are kept between requests (`DATABASE_CONN_MAX_AGE`) and checked before reuse
(on PostgreSQL by a look at the socket, without a round trip: `people.core.postgresql`):
Gunicorn's gthread workers serve requests on a fixed pool of threads, so a process holds at
most one connection per thread (plus one for its in-process outbox worker). `make dev`
(Django's development server, a thread per connection) sets the age to 0.

Behind PgBouncer in transaction mode, set `DATABASE_DISABLE_SERVER_SIDE_CURSORS=true` (a
`.iterator()` cursor would not survive the transaction), and `DATABASE_PREPARED_STATEMENTS=false`
unless PgBouncer is 1.21 or newer with `max_prepared_statements` set (the few reads every request
makes are prepared statements; every other statement uses client-side binding, which prepares
nothing). Nothing else of People needs the same server connection across transactions: the
team-path allocation takes `pg_advisory_xact_lock`, released at commit. `DATABASE_POOL=true` instead pools connections inside each process with psycopg's
pool (Django then requires `CONN_MAX_AGE` 0).
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.env import load


class DatabaseEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    DATABASE_URL: str | None = None
    # Seconds a connection is kept between requests; 0 closes it after each request.
    DATABASE_CONN_MAX_AGE: int = Field(default=60, ge=0)
    DATABASE_DISABLE_SERVER_SIDE_CURSORS: bool = False
    DATABASE_POOL: bool = False
    # The few statements every request runs are prepared once per connection (people.core.postgresql).
    DATABASE_PREPARED_STATEMENTS: bool = True
    DATABASE_POOL_MIN_SIZE: int = Field(default=1, ge=0)
    DATABASE_POOL_MAX_SIZE: int = Field(default=8, ge=1)
    # Seconds SQLite waits for another writer before "database is locked".
    SQLITE_BUSY_TIMEOUT: int = Field(default=20, ge=1)

    @model_validator(mode="after")
    def _pool_needs_postgresql(self) -> DatabaseEnv:
        if self.DATABASE_POOL and not (self.DATABASE_URL or "").startswith(("postgres", "pgsql")):
            raise ValueError("DATABASE_POOL=true needs a PostgreSQL DATABASE_URL (postgres://...)")
        if self.DATABASE_POOL_MIN_SIZE > self.DATABASE_POOL_MAX_SIZE:
            raise ValueError("DATABASE_POOL_MIN_SIZE must not exceed DATABASE_POOL_MAX_SIZE")
        return self


def databases(env: DatabaseEnv, *, data_dir: Any) -> dict[str, dict[str, Any]]:
    if not env.DATABASE_URL:
        return {"default": _sqlite(env, data_dir=data_dir)}
    database = dj_database_url.parse(
        env.DATABASE_URL,
        conn_max_age=0 if env.DATABASE_POOL else env.DATABASE_CONN_MAX_AGE,
        conn_health_checks=True,
    )
    # Django's backend, with a health check that costs no round trip (people.core.postgresql).
    database["ENGINE"] = "people.core.postgresql"
    database["DISABLE_SERVER_SIDE_CURSORS"] = env.DATABASE_DISABLE_SERVER_SIDE_CURSORS
    database["PREPARED_STATEMENTS"] = env.DATABASE_PREPARED_STATEMENTS
    if env.DATABASE_POOL:
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.DATABASE_POOL_MIN_SIZE,
            "max_size": env.DATABASE_POOL_MAX_SIZE,
        }
    return {"default": database}


def _sqlite(env: DatabaseEnv, *, data_dir: Any) -> dict[str, Any]:
    """SQLite for several threads and processes: write-ahead logging lets readers go on while
    one writes; IMMEDIATE transactions take the write lock at BEGIN, so that a writer waits its
    turn (busy timeout) instead of failing on "database is locked" when it upgrades a read."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(data_dir / "people.sqlite3"),
        "CONN_MAX_AGE": env.DATABASE_CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.SQLITE_BUSY_TIMEOUT,
            # `timeout` is SQLite's busy timeout; WAL is kept in the file, NORMAL is safe with it.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        },
    }


DATABASE_ENV: DatabaseEnv = load(DatabaseEnv)
