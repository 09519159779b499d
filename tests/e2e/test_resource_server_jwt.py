"""Resource server against the real provider, RFC 9701 only: what the JSON format does not have.

Everything both formats share (scopes, audience, cache, revocation, provider down) is in
`test_resource_server_introspection.py`, run once per format.
"""

from __future__ import annotations

import json

import pytest
import requests
from joserfc.util import urlsafe_b64decode
from rest_framework.test import APIClient

from people.resource_server.tests.peer import bearer, configure
from tests.factories import UserFactory

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]

ME = "/resource-server/v1.0/users/me/"


@pytest.fixture
def alice(db):
    return UserFactory(sub="alice", email="alice.martin@ministere.example.gouv.fr")


@pytest.fixture
def rs(settings, oidc_provider):
    configure(settings, oidc_provider, client_id="people-rs-jwe", fmt="jwt")
    return oidc_provider


def _token(provider, service: str = "service-a", scope: str = "openid email profile groups") -> str:
    return provider.tokens_for(service, login="alice", scope=scope)["access_token"]


def test_provider_encrypts_to_the_key_we_publish(rs, alice, live_server):
    """The answer is a JWE for the `kid` of our /api/v1.0/jwks, carrying `iss` and `aud`."""
    [published] = requests.get(f"{live_server.url}/api/v1.0/jwks", timeout=5).json()["keys"]
    client = rs.clients["people-rs-jwe"]
    answer = requests.post(
        rs.introspection_endpoint,
        data={"token": _token(rs)},
        auth=(client.client_id, client.client_secret),
        headers={"Accept": "application/token-introspection+jwt"},
        timeout=5,
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/token-introspection+jwt")
    assert answer.text.count(".") == 4  # compact JWE
    header = json.loads(urlsafe_b64decode(answer.text.split(".")[0].encode()))
    assert (header["kid"], header["alg"], header["enc"]) == (
        published["kid"],
        "RSA-OAEP",
        "A256GCM",
    )
    assert (header.get("iss"), header.get("aud")) == (rs.issuer, "people-rs-jwe")
    assert bearer(APIClient(), _token(rs)).get(ME).json()["id"] == str(alice.pk)


def test_signed_but_unencrypted_answers_are_refused(settings, oidc_provider, alice):
    """A provider configured to sign only (client `people-rs-jwt`) does not satisfy us: no token
    can pass until an operator fixes the configuration, so the provider is unavailable (503),
    not the caller's token invalid."""
    configure(settings, oidc_provider, client_id="people-rs-jwt", fmt="jwt")
    response = bearer(APIClient(), _token(oidc_provider)).get(ME)
    assert response.status_code == 503
    assert response.json()["code"] == "identity_provider_unavailable"


def test_unknown_user_is_refused(rs, db):
    response = bearer(APIClient(), _token(rs)).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "unknown_user"
