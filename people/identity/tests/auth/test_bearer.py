"""`Authorization: Bearer` on the client API, checked at the provider's userinfo endpoint."""

from __future__ import annotations

import pytest
import requests
from rest_framework.test import APIClient

from people.identity.models import User
from tests.factories import UserFactory

from .conftest import USERINFO_URL

pytestmark = pytest.mark.django_db

ME = "/api/v1.0/users/me/"
CLAIMS = {"sub": "sub-1", "email": "tool@example.fr", "given_name": "Tom", "usual_name": "Tool"}


def call(token: str, path: str = ME):
    return APIClient().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_valid_token_authenticates_and_creates_the_account(fake_op):
    fake_op.mocked.get(USERINFO_URL, json=CLAIMS)
    response = call("at-1")
    assert response.status_code == 200
    assert response.json()["email"] == "tool@example.fr"
    assert User.objects.get(sub="sub-1").name == "Tom Tool"
    request = fake_op.mocked.calls[0].request
    assert request.headers["Authorization"] == "Bearer at-1"


def test_verdict_is_cached_per_token(fake_op):
    fake_op.mocked.get(USERINFO_URL, json=CLAIMS)
    assert call("at-1").status_code == 200
    assert call("at-1").status_code == 200
    assert len([c for c in fake_op.mocked.calls if c.request.url == USERINFO_URL]) == 1


def test_cached_verdict_does_not_outlive_a_disabled_account(fake_op):
    fake_op.mocked.get(USERINFO_URL, json=CLAIMS)
    call("at-1")
    User.objects.filter(sub="sub-1").update(is_active=False)
    assert call("at-1").status_code == 401


def test_signed_userinfo(fake_op):
    fake_op.mocked.get(USERINFO_URL, body=fake_op.sign(CLAIMS), content_type="application/jwt")
    assert call("at-1").status_code == 200


def test_token_refused_by_the_provider(fake_op):
    fake_op.mocked.get(USERINFO_URL, status=401)
    response = call("expired")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_unverifiable_token_leaves_public_routes_open(fake_op):
    fake_op.mocked.get(USERINFO_URL, status=401)
    assert call("service-token", "/api/v1.0/schema/").status_code == 200
    assert not User.objects.exists()


def test_disabled_account(fake_op):
    UserFactory(sub="sub-1", is_active=False)
    fake_op.mocked.get(USERINFO_URL, json=CLAIMS)
    assert call("at-1").status_code == 401


def test_provider_unreachable(fake_op):
    fake_op.mocked.get(USERINFO_URL, body=requests.ConnectionError())
    assert call("at-1").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer " + "x" * 9000, "Bearer é"])
def test_malformed_headers(fake_op, header):
    response = APIClient().get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert not fake_op.mocked.calls


def test_other_schemes_are_left_to_other_authenticators(fake_op):
    assert APIClient().get(ME, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").status_code == 401
    assert not fake_op.mocked.calls
