"""The PostgreSQL backend (people.core.postgresql): psycopg's C timestamp loader in place of
Django's Python one, and the prepared statements of PreparedGet."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.utils import ConnectionHandler
from psycopg import DataError, adapters
from psycopg.adapt import AdaptersMap
from psycopg.pq import Format

from people.core.postgresql.base import UtcTimestamptzLoader
from people.core.prepared import PreparedGet
from people.identity.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend")

TIMESTAMPTZ = 1184


def _django_loader():
    context = AdaptersMap(adapters)
    register_tzloader(datetime.UTC, context)
    return context.get_loader(TIMESTAMPTZ, Format.TEXT)(TIMESTAMPTZ, context)


@pytest.mark.parametrize(
    "text",
    [b"2026-12-06 03:47:02.123456+00", b"2026-12-06 03:47:02+00", b"1900-02-28 23:59:59.5+00", b"0001-01-01 00:00:00+00",
     b"9999-12-31 23:59:59.999999+00"],
)
def test_timestamps_load_as_django_loads_them(text):
    ours = UtcTimestamptzLoader(TIMESTAMPTZ).load(text)
    assert ours == _django_loader().load(text)
    assert ours.tzinfo is datetime.UTC


@pytest.mark.parametrize("text", [b"infinity", b"-infinity", b"2026-13-01 00:00:00+00"])
def test_timestamps_django_refuses_are_refused(text):
    with pytest.raises(DataError):
        _django_loader().load(text)
    with pytest.raises(DataError):
        UtcTimestamptzLoader(TIMESTAMPTZ).load(text)


@pytest.mark.django_db
def test_the_connection_reads_timestamps_with_the_c_loader():
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is UtcTimestamptzLoader
    user = UserFactory()
    assert User.objects.get(pk=user.pk).created_at == user.created_at


_BY_EMAIL = PreparedGet(lambda email: User.objects.filter(email=email), email=User._meta.get_field("email"))


def _prepared_statements(cursor) -> list[str]:
    cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
    return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_prepared_get_is_prepared_once_per_connection(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(2):  # still counted as queries
        assert _BY_EMAIL.get(email=user.email) == user
        assert _BY_EMAIL.get(email="nobody@example.com") is None
    with connection.cursor() as cursor:
        statements = _prepared_statements(cursor)
    assert len([statement for statement in statements if '"identity_user"."email" = $1' in statement]) == 1


@pytest.mark.django_db(transaction=True)
def test_prepared_statements_can_be_turned_off(django_db_blocker):
    from django.conf import settings

    settings_dict = {**settings.DATABASES["default"], "NAME": connection.settings_dict["NAME"], "PREPARED_STATEMENTS": False}
    other = ConnectionHandler({"default": settings_dict})["default"]
    try:
        with other.prepared_cursor() as cursor:
            cursor.execute("SELECT %s::int", [1])
            assert cursor.fetchone() == (1,)
            assert _prepared_statements(cursor) == []
    finally:
        other.close()
