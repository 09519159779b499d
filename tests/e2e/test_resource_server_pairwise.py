"""Pairwise subjects and the resource server, against the real provider.

An agent who signs in to People through a pairwise client is stored with the `sub` of People's
sector. When a service calls us with a token the provider issued to that service, the
introspection answer carries the `sub` of the client the token was issued to (the service), not
of the client that introspects (People's resource server). So the service's token finds the agent
only if the service and People share a sector identifier; otherwise the answer names a subject
People has never seen, and the call is refused (401 `unknown_user`), with no account created.

The provider derives a client's sector from the host of its first redirect URI when it has no
`sector_identifier_uri`: `service-same-sector` redirects to People's host, `service-other-sector`
elsewhere.
"""

from __future__ import annotations

import pytest
import requests
from rest_framework.test import APIClient

from people.identity.models import User
from people.resource_server.tests.peer import bearer, configure
from tests.peers.oidc.e2e import PeopleOidc
from tests.peers.oidc.fixtures import SCOPES

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]

ME = "/resource-server/v1.0/users/me/"


def _pairwise_service(client_id: str, redirect_uri: str) -> dict:
    return {
        "client_id": client_id,
        "redirect_uris": [redirect_uri],
        "subject_type": "pairwise",
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "scope": SCOPES,
    }


@pytest.fixture
def provider(oidc_provider_factory, live_server):
    return oidc_provider_factory(
        extra_clients=[
            _pairwise_service("service-same-sector", f"{live_server.url}/service-same-sector/callback"),
            _pairwise_service("service-other-sector", "http://127.0.0.1:1/service-other-sector/callback"),
        ]
    )


@pytest.fixture
def agent(provider, live_server, settings):
    """An agent signed in to People through the pairwise client: (account id, stored user)."""
    people = PeopleOidc(provider=provider, live_server=live_server, settings=settings).use("people-pairwise")
    login = people.new_account(email="pairwise.rs@example.fr", given_name="Paula", usual_name="Pair")
    with requests.Session() as http:
        assert people.sign_in(http, login).location == "/"
    user = User.objects.get(email="pairwise.rs@example.fr")
    assert user.sub != login  # People holds the pairwise subject, not the account id
    configure(settings, provider, client_id="people-rs", fmt="json")
    yield login, user
    provider.delete_account(login)


def _token(provider, service: str, login: str) -> str:
    return provider.tokens_for(service, login=login)["access_token"]


def _introspected_sub(provider, token: str) -> str:
    rs = provider.clients["people-rs"]
    answer = requests.post(
        provider.introspection_endpoint,
        data={"token": token, "token_type_hint": "access_token"},
        auth=(rs.client_id, rs.client_secret),
        timeout=5,
    ).json()
    assert answer["active"] is True
    return answer["sub"]


def test_introspection_gives_the_subject_of_the_client_the_token_was_issued_to(provider, agent):
    login, user = agent
    assert _introspected_sub(provider, _token(provider, "service-same-sector", login)) == user.sub
    assert _introspected_sub(provider, _token(provider, "service-a", login)) == login  # public subject
    other = _introspected_sub(provider, _token(provider, "service-other-sector", login))
    assert other not in (user.sub, login)


def test_service_sharing_peoples_sector_finds_the_agent(provider, agent):
    login, user = agent
    response = bearer(APIClient(), _token(provider, "service-same-sector", login)).get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)


@pytest.mark.parametrize("service", ["service-a", "service-other-sector"])
def test_service_with_another_subject_is_refused_and_creates_nobody(provider, agent, service):
    login, _user = agent
    users_before = User.objects.count()
    response = bearer(APIClient(), _token(provider, service, login)).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "unknown_user"
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert User.objects.count() == users_before
