"""The test OpenID provider itself: what the other tests rely on."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.peers.oidc import login as headless

pytestmark = [pytest.mark.peer]


def test_discovery_lists_the_federation_features(oidc_provider):
    discovery = oidc_provider.discovery
    assert discovery["issuer"] == oidc_provider.issuer
    assert {"public", "pairwise"} <= set(discovery["subject_types_supported"])
    assert "end_session_endpoint" in discovery
    assert "introspection_endpoint" in discovery
    assert "revocation_endpoint" in discovery
    assert {"RS256", "ES256"} <= set(discovery["userinfo_signing_alg_values_supported"])
    assert {"openid", "email", "profile", "groups", "offline_access"} <= set(discovery["scopes_supported"])
    assert {"sub", "email", "given_name", "usual_name", "siret"} <= set(discovery["claims_supported"])
    published = {key["kid"] for key in requests.get(oidc_provider.jwks_uri, timeout=5).json()["keys"]}
    assert published == {"op-rs256", "op-es256"}


def test_service_client_obtains_real_tokens(oidc_provider):
    tokens = oidc_provider.tokens_for("service-a", login="alice", scope="openid email profile groups offline_access")
    assert tokens["access_token"]
    assert tokens["refresh_token"]
    claims = jwt.decode(tokens["id_token"], KeySet.import_key_set(oidc_provider.keys.public_jwks())).claims
    assert claims["sub"] == "alice"
    assert claims["aud"] == "service-a"
    userinfo = requests.get(
        oidc_provider.userinfo_endpoint,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=5,
    ).json()
    assert userinfo["email"] == "alice.martin@ministere.example.gouv.fr"
    assert userinfo["groups"] == ["agents"]


def test_resource_server_client_introspects_a_service_token(oidc_provider):
    tokens = oidc_provider.tokens_for("service-b", login="bob")
    rs = oidc_provider.clients["people-rs"]
    answer = requests.post(
        oidc_provider.introspection_endpoint,
        data={"token": tokens["access_token"]},
        auth=(rs.client_id, rs.client_secret),
        timeout=5,
    ).json()
    assert answer["active"] is True
    assert answer["client_id"] == "service-b"
    assert answer["sub"] == "bob"
    assert "groups" in answer["scope"].split()


def test_unknown_account_cannot_sign_in(oidc_provider):
    with pytest.raises(headless.ProviderError, match="unknown account"):
        oidc_provider.tokens_for("service-a", login="nobody")


def test_accounts_can_be_changed_while_running(oidc_provider):
    oidc_provider.put_account("carol", {"email": "carol@example.fr", "given_name": "Carol"})
    try:
        tokens = oidc_provider.tokens_for("service-a", login="carol")
        userinfo = requests.get(
            oidc_provider.userinfo_endpoint,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=5,
        ).json()
        assert userinfo == {"sub": "carol", "email": "carol@example.fr", "given_name": "Carol"}
    finally:
        oidc_provider.delete_account("carol")


def test_pairwise_client_gets_another_subject(oidc_provider):
    client = oidc_provider.clients["people-pairwise"]
    verifier, challenge = headless.pkce_pair()
    params = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uris[0],
        "scope": "openid email",
        "state": secrets.token_urlsafe(8),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with requests.Session() as http:
        final = headless.complete_login(
            http,
            f"{oidc_provider.authorization_endpoint}?{urlencode(params)}",
            login="alice",
            stop_prefix=client.redirect_uris[0],
        )
        tokens = http.post(
            oidc_provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": headless.query_of(final)["code"],
                "redirect_uri": client.redirect_uris[0],
                "code_verifier": verifier,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
            timeout=5,
        ).json()
    claims = jwt.decode(tokens["id_token"], KeySet.import_key_set(oidc_provider.keys.public_jwks())).claims
    assert claims["sub"] != "alice"
    assert len(claims["sub"]) == 64


def test_rp_initiated_logout_comes_back_with_the_state(oidc_provider):
    client = oidc_provider.clients["people"]
    tokens = oidc_provider.tokens_for("people", login="bob", scope="openid email")
    logout_callback = client.metadata["post_logout_redirect_uris"][0]
    params = {
        "id_token_hint": tokens["id_token"],
        "post_logout_redirect_uri": logout_callback,
        "state": "the-state",
    }
    with requests.Session() as http:
        final = headless.complete_logout(
            http, f"{oidc_provider.end_session_endpoint}?{urlencode(params)}", stop_prefix=logout_callback
        )
    assert headless.query_of(final) == {"state": "the-state"}


def test_provider_counts_the_requests_it_receives(oidc_provider):
    before = oidc_provider.calls_to(oidc_provider.jwks_uri)
    for _ in range(2):
        requests.get(oidc_provider.jwks_uri, timeout=5)
    assert oidc_provider.calls_to(oidc_provider.jwks_uri) == before + 2
    assert oidc_provider.calls_to(f"{oidc_provider.issuer}/never-called") == 0
