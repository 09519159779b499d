"""The users kept by each process while PostgreSQL notifies their changes (known_users): a warm
call reads no user, and every committed change, whatever wrote it, is heard before long."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from people.identity.models import Organization, User
from people.resource_server import known_users
from people.resource_server.errors import UnknownUser
from people.resource_server.introspection import authenticate_token
from people.resource_server.known_users import KNOWN_USERS, KnownUsers
from tests.factories import OrganizationFactory, UserFactory
from tests.waiting import wait_for

from .conftest import introspection as active

TOKEN = "tok_" + "k" * 40
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's notifications")


def _refused() -> bool:
    try:
        authenticate_token(TOKEN)
    except UnknownUser:
        return True
    return False


@pytest.fixture
def listening(rs_settings, fake_provider):
    rs_settings.OIDC_RS_LOCAL_USER_CACHE = True
    KNOWN_USERS.start()
    wait_for(lambda: KNOWN_USERS.listening, timeout=5, what="listening", interval=0.02)
    yield fake_provider
    KNOWN_USERS.stop()
    KNOWN_USERS.clear()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_warm_call_reads_no_user_and_gets_its_own_copy(listening, django_assert_num_queries):
    UserFactory(sub="agent-1", name="Agent One")
    listening.answer_json(TOKEN, active("agent-1"))
    first = authenticate_token(TOKEN).user
    with django_assert_num_queries(0):
        second = authenticate_token(TOKEN).user
    assert (second.pk, second.name) == (first.pk, "Agent One")
    second.name = "changed by a request"
    assert authenticate_token(TOKEN).user.name == "Agent One"


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [lambda users: users.update(is_active=False), lambda users: users.delete()],
    ids=["deactivated by a bulk update, no signal", "deleted"],
)
def test_a_changed_user_is_refused_once_the_change_is_heard(listening, change):
    UserFactory(sub="agent-1")
    listening.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    change(User.objects.filter(sub="agent-1"))
    wait_for(_refused, timeout=5, what="the changed user refused", interval=0.02)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_renamed_organization_shows_once_the_change_is_heard(listening):
    organization = OrganizationFactory(name="Before")
    UserFactory(sub="agent-1", organization=organization)
    listening.answer_json(TOKEN, active("agent-1"))
    assert authenticate_token(TOKEN).user.organization.name == "Before"
    Organization.objects.filter(pk=organization.pk).update(name="After")
    wait_for(lambda: authenticate_token(TOKEN).user.organization.name == "After", timeout=5,
             what="the new name shown", interval=0.02)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_while_not_listening_every_call_reads_its_user(listening, django_assert_num_queries):
    UserFactory(sub="agent-1")
    listening.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
            [known_users.APPLICATION_NAME],
        )
        assert cursor.fetchone() == (True,)
    wait_for(lambda: not KNOWN_USERS.listening, timeout=5, what="listening stopped", interval=0.02)
    if not KNOWN_USERS.listening:  # not yet back: the cache is not used
        with django_assert_num_queries(1):
            authenticate_token(TOKEN)
    # Back within the first backoff, the changes missed meanwhile forgotten with everything else.
    wait_for(lambda: KNOWN_USERS.listening, timeout=5, what="listening again", interval=0.02)
    User.objects.filter(sub="agent-1").update(is_active=False)
    wait_for(_refused, timeout=5, what="the changed user refused", interval=0.02)


def test_a_read_that_raced_a_change_is_not_kept(settings):
    users = KnownUsers()
    users.listening = True
    generation = users.generation
    users.forget("agent-1")  # heard while the user was being read
    users.remember("agent-1", User(sub="agent-1"), generation, now=time.time())
    assert users.get("agent-1", time.time()) is None
    users.remember("agent-1", User(sub="agent-1"), users.generation, now=time.time())
    assert users.get("agent-1", time.time()).sub == "agent-1"


def test_nothing_is_kept_or_served_while_not_listening(settings):
    users = KnownUsers()
    users.remember("agent-1", User(sub="agent-1"), users.generation, now=time.time())
    assert len(users) == 0
    users.listening = True
    users.remember("agent-1", User(sub="agent-1"), users.generation, now=time.time())
    users.listening = False
    assert users.get("agent-1", time.time()) is None


def test_entries_expire_and_everyone_is_forgotten_on_an_organization_change(settings):
    settings.OIDC_RS_LOCAL_CACHE_TTL = 30
    users = KnownUsers()
    users.listening = True
    now = time.time()
    users.remember("agent-1", User(sub="agent-1"), users.generation, now=now)
    users.remember("agent-2", User(sub="agent-2"), users.generation, now=now)
    assert users.get("agent-1", now + 31) is None
    assert users.get("agent-2", now + 1) is not None
    users.forget(known_users.EVERYONE)
    assert len(users) == 0


@pytest.mark.django_db
def test_without_postgresql_or_when_turned_off_every_call_reads(settings):
    settings.OIDC_RS_LOCAL_USER_CACHE = connection.vendor != "postgresql"  # off, or on but SQLite
    reads = []
    assert known_users.user_for("agent-1", lambda sub: reads.append(sub)) is None
    assert known_users.user_for("agent-1", lambda sub: reads.append(sub)) is None
    assert reads == ["agent-1", "agent-1"]
    assert KNOWN_USERS._thread is None or not KNOWN_USERS._thread.is_alive()
