"""POST /admin/login/: repeated wrong passwords lock the password sign-in out (django-axes).

The default policy counts failures per account and per client address separately: guessing one
operator's password from many addresses, or many accounts from one address, both stop.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """An operator's browser asking for English: the assertions read the English page (the
    page is French by default, see test_the_lockout_page_is_french_by_default)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.9"


def operator(email: str):
    return UserFactory(email=email, is_staff=True, is_superuser=True, password=make_password(PASSWORD))


def sign_in(client, email: str, password: str, address: str = ADDRESS):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email: str, times: int, address: str = ADDRESS) -> None:
    for _ in range(times):
        response = sign_in(client, email, "wrong password", address)
        assert response.status_code in {200, 429}


def assert_signed_in(client, response) -> None:
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/admin/"
    assert "_auth_user_id" in client.session


def assert_locked_out(client, response) -> None:
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "Too many failed sign-in attempts" in body
    assert "Try again in 15" in body
    assert response["Retry-After"] == "900"


def test_failures_up_to_the_limit_leave_the_form_and_the_right_password_works(client, settings):
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT - 1)
    assert_signed_in(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))


def test_after_the_limit_even_the_right_password_is_refused(client, settings):
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))
    assert client.get("/admin/").status_code == 302


def test_the_account_is_counted_whatever_the_case_of_its_address(client, settings):
    operator("ops@example.gouv.fr")
    for index in range(settings.AXES_FAILURE_LIMIT):
        # Each from another address: only the per-account count can reach the limit.
        sign_in(client, "OPS@Example.gouv.fr", "wrong", address=f"192.0.2.{index + 1}")
    assert_locked_out(client, sign_in(client, "ops@example.gouv.fr", PASSWORD, address=OTHER_ADDRESS))


def test_same_account_from_another_address_is_locked_too(client, settings):
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(client, sign_in(client, "ops@example.gouv.fr", PASSWORD, address=OTHER_ADDRESS))


def test_another_account_from_the_same_address_is_locked_too(client, settings):
    operator("ops@example.gouv.fr")
    operator("other@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(client, sign_in(client, "other@example.gouv.fr", PASSWORD))


def test_other_accounts_and_addresses_are_untouched(client, settings):
    operator("ops@example.gouv.fr")
    operator("other@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    assert_signed_in(client, sign_in(client, "other@example.gouv.fr", PASSWORD, address=OTHER_ADDRESS))


def test_combination_policy_locks_only_that_account_from_that_address(client, settings):
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    operator("ops@example.gouv.fr")
    operator("other@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))
    assert_signed_in(client, sign_in(client, "other@example.gouv.fr", PASSWORD))
    client.logout()
    assert_signed_in(client, sign_in(client, "ops@example.gouv.fr", PASSWORD, address=OTHER_ADDRESS))


def test_the_lock_lifts_after_the_cool_off(client, settings):
    operator("ops@example.gouv.fr")
    with freeze_time("2026-03-02 10:00:00") as clock:
        fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
        clock.tick(timedelta(seconds=899))
        assert_locked_out(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))
        # That attempt counted as a failure: the wait starts again from it.
        clock.tick(timedelta(seconds=2))
        assert sign_in(client, "ops@example.gouv.fr", PASSWORD).status_code == 429
        clock.tick(timedelta(seconds=901))
        assert_signed_in(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))


def test_a_success_resets_the_count(client, settings):
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT - 1)
    assert_signed_in(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))
    assert not AccessAttempt.objects.exists()
    client.logout()
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT - 1)
    assert_signed_in(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))


def test_failure_limit_and_cool_off_follow_the_settings(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", 2)
    response = sign_in(client, "ops@example.gouv.fr", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "after 2 wrong passwords" in response.content.decode()


def test_operators_see_the_lockout_in_the_logs(client, settings, caplog):
    operator("ops@example.gouv.fr")
    with caplog.at_level(logging.WARNING, logger="people.identity.lockout"):
        fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    [record] = [r for r in caplog.records if r.name == "people.identity.lockout"]
    assert record.message == "password sign-in locked out after repeated failures"
    assert record.username == "ops@example.gouv.fr"
    assert record.ip_address == ADDRESS
    assert record.failure_limit == settings.AXES_FAILURE_LIMIT
    assert record.cooloff_seconds == 900


@pytest.mark.parametrize("command", [("axes_reset",), ("axes_reset_username", "ops@example.gouv.fr"), ("axes_reset_ip", ADDRESS)])
def test_an_operator_lifts_the_lock_with_a_command(client, settings, command):
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))
    call_command(*command, stdout=io.StringIO())
    assert_signed_in(client, sign_in(client, "ops@example.gouv.fr", PASSWORD))


def test_the_lockout_page_is_french_by_default(settings):
    client = Client()
    operator("ops@example.gouv.fr")
    fail(client, "ops@example.gouv.fr", settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, "ops@example.gouv.fr", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert '<html lang="fr"' in body or 'lang="fr' in body
    assert "Trop de tentatives de connexion échouées" in body
