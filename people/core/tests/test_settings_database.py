"""The database settings: kept connections checked before reuse, SQLite ready for several
writers, PgBouncer's transaction mode and psycopg's pool behind variables, refusals naming them."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from config.database import DatabaseEnv, databases
from config.env import load

POSTGRES = "postgres://people:secret@db.example:5432/people"
SUITE_DATABASE = os.environ.get("DATABASE_URL", "")
on_postgresql = pytest.mark.skipif(
    not SUITE_DATABASE.startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://...",
)


def database(monkeypatch, tmp_path, **environ: str) -> dict:
    for name in DatabaseEnv.model_fields:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return databases(load(DatabaseEnv), data_dir=tmp_path)["default"]


def test_postgresql_keeps_connections_a_minute_and_checks_them(monkeypatch, tmp_path):
    settings = database(monkeypatch, tmp_path, DATABASE_URL=POSTGRES)
    assert settings["ENGINE"] == "people.core.postgresql"
    assert settings["CONN_MAX_AGE"] == 60
    assert settings["CONN_HEALTH_CHECKS"] is True
    assert settings["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert "pool" not in settings.get("OPTIONS", {})


def test_connection_age_comes_from_the_environment(monkeypatch, tmp_path):
    assert database(monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DATABASE_CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0
    assert database(monkeypatch, tmp_path, DATABASE_CONN_MAX_AGE="300")["CONN_MAX_AGE"] == 300


def test_pgbouncer_transaction_mode_disables_server_side_cursors(monkeypatch, tmp_path):
    settings = database(monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DATABASE_DISABLE_SERVER_SIDE_CURSORS="true")
    assert settings["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_pool_replaces_kept_connections(monkeypatch, tmp_path):
    settings = database(
        monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DATABASE_POOL="true", DATABASE_POOL_MAX_SIZE="12",
    )
    assert settings["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 12}
    assert settings["CONN_MAX_AGE"] == 0  # Django refuses a pool with kept connections


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DATABASE_POOL": "true"}, "DATABASE_POOL=true needs a PostgreSQL DATABASE_URL"),
        ({"DATABASE_URL": POSTGRES, "DATABASE_POOL": "true", "DATABASE_POOL_MIN_SIZE": "9"}, "DATABASE_POOL_MIN_SIZE"),
        ({"DATABASE_CONN_MAX_AGE": "-1"}, "DATABASE_CONN_MAX_AGE"),
        ({"DATABASE_POOL": "sometimes"}, "DATABASE_POOL"),
    ],
)
def test_refusals_name_the_variable(monkeypatch, tmp_path, environ, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        database(monkeypatch, tmp_path, **environ)


def test_sqlite_writes_ahead_and_takes_the_write_lock_at_begin(monkeypatch, tmp_path, django_db_blocker):
    settings = database(monkeypatch, tmp_path)
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings["CONN_HEALTH_CHECKS"] is True
    connection = ConnectionHandler({"default": settings})["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
    finally:
        connection.close()
    assert (tmp_path / "people.sqlite3").exists()


@on_postgresql
def test_pool_serves_queries(monkeypatch, tmp_path, django_db_blocker):
    settings = database(monkeypatch, tmp_path, DATABASE_URL=SUITE_DATABASE, DATABASE_POOL="true")
    settings["NAME"] = "postgres"  # any database of the server
    connection = ConnectionHandler({"default": settings})["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert connection.pool is not None
        assert connection.pool.max_size == 8
    finally:
        connection.close()
        connection.close_pool()


def _kept_connection(monkeypatch, tmp_path):
    settings = database(monkeypatch, tmp_path, DATABASE_URL=SUITE_DATABASE)
    settings["NAME"] = "postgres"  # any database of the server
    return ConnectionHandler({"default": settings})["default"]


def _backend_pid(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@on_postgresql
def test_a_healthy_kept_connection_is_reused_without_a_round_trip(monkeypatch, tmp_path, django_db_blocker):
    connection = _kept_connection(monkeypatch, tmp_path)
    try:
        with django_db_blocker.unblock():
            pid = _backend_pid(connection)
            monkeypatch.setattr(connection, "is_usable", lambda: pytest.fail("SELECT 1 sent to a quiet connection"))
            connection.close_if_unusable_or_obsolete()  # a new request begins
            assert connection.health_check_done is False
            assert _backend_pid(connection) == pid
            assert connection.health_check_done is True
    finally:
        connection.close()


@on_postgresql
def test_a_connection_the_server_ended_is_replaced_before_use(monkeypatch, tmp_path, django_db_blocker):
    import time

    connection, killer = _kept_connection(monkeypatch, tmp_path), _kept_connection(monkeypatch, tmp_path)
    try:
        with django_db_blocker.unblock():
            pid = _backend_pid(connection)
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                    if cursor.fetchone()[0] == 0:
                        break
                    time.sleep(0.05)
            connection.close_if_unusable_or_obsolete()  # a new request begins
            new_pid = _backend_pid(connection)  # no error: the dead connection was noticed and replaced
            assert new_pid != pid
    finally:
        connection.close()
        killer.close()


def test_prepared_statements_are_on_unless_turned_off(monkeypatch, tmp_path):
    assert database(monkeypatch, tmp_path, DATABASE_URL=POSTGRES)["PREPARED_STATEMENTS"] is True
    settings = database(monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS="false")
    assert settings["PREPARED_STATEMENTS"] is False
