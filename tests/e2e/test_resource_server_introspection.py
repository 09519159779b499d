"""Resource server against the real provider, with real access tokens, in both formats.

`json`: RFC 7662, plain JSON (client `people-rs`). `jwt`: RFC 9701, signed by the provider then
encrypted to the key it reads from our `/api/v1.0/jwks` on the live server (client
`people-rs-jwe`). Calls that reach the provider are counted by the provider itself.
"""

from __future__ import annotations

import logging
import time

import pytest
import requests
from rest_framework.test import APIClient

from people.resource_server.tests.peer import bearer, configure, silent_server  # noqa: F401
from tests.factories import UserFactory
from tests.peers.oidc.fixtures import free_port

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]

ME = "/resource-server/v1.0/users/me/"
TEAMS = "/resource-server/v1.0/teams/"
CLIENTS = {"json": "people-rs", "jwt": "people-rs-jwe"}


@pytest.fixture
def alice(db):
    return UserFactory(sub="alice", email="alice.martin@ministere.example.gouv.fr")


@pytest.fixture(params=sorted(CLIENTS))
def rs(request, settings, oidc_provider):
    configure(settings, oidc_provider, client_id=CLIENTS[request.param], fmt=request.param)
    return oidc_provider


def _token(provider, service: str = "service-a", scope: str = "openid email profile groups") -> str:
    return provider.tokens_for(service, login="alice", scope=scope)["access_token"]


def test_real_token_authenticates_the_user(rs, alice):
    response = bearer(APIClient(), _token(rs)).get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == str(alice.pk)


def test_token_without_the_groups_scope_is_refused(rs, alice):
    response = bearer(APIClient(), _token(rs, scope="openid email")).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.json() == {"detail": "Login failed", "code": "invalid_token"}


def test_every_required_scope_is_needed(rs, alice, settings):
    settings.OIDC_RS_SCOPES = ["groups", "offline_access"]
    assert bearer(APIClient(), _token(rs)).get(ME).status_code == 401
    token = _token(rs, scope="openid email profile groups offline_access")
    assert bearer(APIClient(), token).get(ME).status_code == 200


def test_team_of_service_a_is_invisible_to_service_b(rs, alice):
    as_a = bearer(APIClient(), _token(rs, "service-a"))
    as_b = bearer(APIClient(), _token(rs, "service-b"))
    created = as_a.post(TEAMS, {"name": "Docs team"}, format="json")
    assert created.status_code == 201
    team_id = created.json()["id"]
    assert [row["id"] for row in as_a.get(TEAMS).json()["results"]] == [team_id]
    assert as_a.get(f"{TEAMS}{team_id}/").status_code == 200
    assert as_b.get(TEAMS).json()["results"] == []
    assert as_b.get(f"{TEAMS}{team_id}/").status_code == 404
    assert as_b.get(f"{TEAMS}{team_id}/invitations/").status_code == 404
    scim_groups = as_b.get("/resource-server/v1.0/scim/Me").json()["groups"]
    assert scim_groups == []


def test_cache_hit_does_not_call_the_provider(rs, alice):
    client = bearer(APIClient(), _token(rs))
    before = rs.calls_to(rs.introspection_endpoint)
    for _ in range(5):
        assert client.get(ME).status_code == 200
    assert rs.calls_to(rs.introspection_endpoint) == before + 1


def test_without_cache_every_call_asks_the_provider(rs, alice, settings):
    settings.OIDC_RS_CACHE_TTL = 0
    client = bearer(APIClient(), _token(rs))
    before = rs.calls_to(rs.introspection_endpoint)
    for _ in range(3):
        assert client.get(ME).status_code == 200
    assert rs.calls_to(rs.introspection_endpoint) == before + 3


def test_revoked_token_is_refused_after_the_cache_ttl(rs, alice, settings):
    settings.OIDC_RS_CACHE_TTL = 1
    token = _token(rs)
    client = bearer(APIClient(), token)
    assert client.get(ME).status_code == 200
    service = rs.clients["service-a"]
    revoked = requests.post(
        rs.revocation_endpoint,
        data={"token": token, "token_type_hint": "access_token"},
        auth=(service.client_id, service.client_secret),
        timeout=5,
    )
    assert revoked.status_code == 200
    assert client.get(ME).status_code == 200  # still cached
    time.sleep(1.2)
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_expired_token_is_refused_even_from_the_cache(rs, alice):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    client = bearer(APIClient(), _token(rs))
    assert client.get(ME).status_code == 200
    # The provider's access tokens live an hour; the cached answer must not outlive its `exp`.
    with freeze_time(timezone.now() + timedelta(hours=3)):
        assert client.get(ME).status_code == 401


def test_provider_down_is_a_503(rs, alice, settings):
    settings.OIDC_OP_INTROSPECTION_ENDPOINT = f"http://127.0.0.1:{free_port()}/token/introspection"
    response = bearer(APIClient(), "some-access-token-0123456789").get(ME)
    assert response.status_code == 503
    assert response.json()["code"] == "identity_provider_unavailable"


def test_slow_provider_is_a_503_within_the_timeout(rs, alice, settings, silent_server):  # noqa: F811
    settings.OIDC_OP_INTROSPECTION_ENDPOINT = (
        f"http://127.0.0.1:{silent_server.port}/token/introspection"
    )
    settings.OIDC_RS_TIMEOUT = 0.5
    started = time.monotonic()
    response = bearer(APIClient(), "some-access-token-0123456789").get(ME)
    assert response.status_code == 503
    assert time.monotonic() - started < 3


def test_wrong_client_secret_is_a_503_not_a_401(rs, alice, settings):
    settings.OIDC_RS_CLIENT_SECRET = "wrong"
    assert bearer(APIClient(), _token(rs)).get(ME).status_code == 503


@pytest.fixture
def every_log_record(caplog):
    """Every logger at DEBUG into caplog, including those that do not propagate to the root."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield caplog
    finally:
        for logger, level in levels.items():
            logger.setLevel(level)
            logger.removeHandler(caplog.handler)


def test_tokens_appear_in_no_log(rs, alice, settings, every_log_record):
    valid, without_scope = _token(rs), _token(rs, scope="openid email")
    assert bearer(APIClient(), valid).get(ME).status_code == 200
    assert bearer(APIClient(), valid).get(ME).status_code == 200  # from the cache
    assert bearer(APIClient(), without_scope).get(ME).status_code == 401
    guessed = "guessed-access-token-0123456789"
    assert bearer(APIClient(), guessed).get(ME).status_code == 401
    settings.OIDC_RS_CLIENT_SECRET = "wrong"
    assert bearer(APIClient(), without_scope + "x").get(ME).status_code == 503
    text = every_log_record.text + "".join(
        str(record.__dict__) for record in every_log_record.records
    )
    assert "people.resource_server" in {record.name for record in every_log_record.records}
    for token in (valid, without_scope, guessed):
        assert token not in text
