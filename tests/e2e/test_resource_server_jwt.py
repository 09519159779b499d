"""Resource server against the real provider, RFC 9701: signed then encrypted to our JWKS."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from people.resource_server.tests.peer import IntrospectionSpy, bearer, configure
from tests.factories import UserFactory

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]

ME = "/resource-server/v1.0/users/me/"
TEAMS = "/resource-server/v1.0/teams/"


@pytest.fixture
def alice(db):
    return UserFactory(sub="alice", email="alice.martin@ministere.example.gouv.fr")


@pytest.fixture
def rs(settings, oidc_provider):
    configure(settings, oidc_provider, client_id="people-rs-jwe", fmt="jwt")
    return oidc_provider


def _token(provider, service: str = "service-a", scope: str = "openid email profile groups") -> str:
    return provider.tokens_for(service, login="alice", scope=scope)["access_token"]


def test_encrypted_introspection_authenticates_the_user(rs, alice, monkeypatch):
    spy = IntrospectionSpy(rs.introspection_endpoint)
    spy.install(monkeypatch)
    client = bearer(APIClient(), _token(rs))
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == str(alice.pk)
    assert client.get(ME).status_code == 200
    assert len(spy.calls) == 1


def test_scopes_and_audience_with_encrypted_introspection(rs, alice):
    assert bearer(APIClient(), _token(rs, scope="openid email")).get(ME).status_code == 401
    as_a = bearer(APIClient(), _token(rs, "service-a"))
    team_id = as_a.post(TEAMS, {"name": "A only"}, format="json").json()["id"]
    assert bearer(APIClient(), _token(rs, "service-b")).get(f"{TEAMS}{team_id}/").status_code == 404
    assert as_a.get(f"{TEAMS}{team_id}/").status_code == 200


def test_signed_but_unencrypted_answers_are_refused(settings, oidc_provider, alice):
    """A provider configured to sign only (client `people-rs-jwt`) does not satisfy us."""
    configure(settings, oidc_provider, client_id="people-rs-jwt", fmt="jwt")
    assert bearer(APIClient(), _token(oidc_provider)).get(ME).status_code == 401


def test_unknown_user_is_refused(rs, db):
    response = bearer(APIClient(), _token(rs)).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "unknown_user"
