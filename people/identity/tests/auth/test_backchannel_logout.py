"""POST /api/v1.0/backchannel-logout/: logout tokens checked, sessions ended by sid or sub."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from people.identity.auth import sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/backchannel-logout/"
EVENT = {"http://schemas.openid.net/event/backchannel-logout": {}}


def logout_claims(fake_op, **overrides):
    now = int(time.time())
    values = {"iss": "https://op.example.test", "aud": "people", "iat": now, "exp": now + 120,
              "jti": f"jti-{time.monotonic_ns()}", "events": EVENT, "sub": "sub-1", "sid": "sid-1"}
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def signed_in_client(user, sid: str | None) -> Client:
    client = Client()
    client.force_login(user)
    sessions.remember(session_key=client.session.session_key, user_pk=user.pk, sid=sid)
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/api/v1.0/users/me/").status_code == 200


def post(token: str | None):
    return Client(enforce_csrf_checks=True).post(URL, {"logout_token": token} if token is not None else {})


def test_sid_ends_that_session_only(fake_op):
    user = UserFactory(sub="sub-1")
    first, second = signed_in_client(user, "sid-1"), signed_in_client(user, "sid-2")
    response = post(fake_op.sign(logout_claims(fake_op)))
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert not is_signed_in(first)
    assert is_signed_in(second)


def test_sub_alone_ends_every_session_of_the_user(fake_op):
    user = UserFactory(sub="sub-1")
    other = UserFactory(sub="sub-2")
    first, second = signed_in_client(user, "sid-1"), signed_in_client(user, None)
    bystander = signed_in_client(other, "sid-3")
    assert post(fake_op.sign(logout_claims(fake_op, sid=None))).status_code == 204
    assert not is_signed_in(first)
    assert not is_signed_in(second)
    assert is_signed_in(bystander)


def test_replayed_token_is_refused(fake_op):
    token = fake_op.sign(logout_claims(fake_op))
    assert post(token).status_code == 204
    replay = post(token)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "overrides",
    [
        {"events": None},
        {"events": {"other": {}}},
        {"nonce": "n"},
        {"sub": None, "sid": None},
        {"jti": None},
        {"aud": "someone-else"},
        {"iss": "https://evil.example.test"},
        {"exp": int(time.time()) - 3600},
        {"iat": None},
        {"sid": 12},
    ],
)
def test_invalid_tokens_are_refused_and_end_nothing(fake_op, overrides):
    user = UserFactory(sub="sub-1")
    client = signed_in_client(user, "sid-1")
    response = post(fake_op.sign(logout_claims(fake_op, **overrides)))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert response.json()["error_description"]
    assert is_signed_in(client)


def test_bad_signature_and_unsigned_tokens(fake_op):
    assert post(fake_op.sign(logout_claims(fake_op), key=fake_op.other)).status_code == 400
    assert post(fake_op.unsigned(logout_claims(fake_op))).status_code == 400


@pytest.mark.parametrize("token", [None, "", "garbage", "x" * 30000])
def test_missing_or_garbage_token(fake_op, token):
    assert post(token).status_code == 400


def test_only_post(fake_op):
    assert Client().get(URL).status_code == 405
