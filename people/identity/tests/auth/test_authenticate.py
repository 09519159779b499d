"""GET /api/v1.0/authenticate/: the authorization request (state, nonce, PKCE, silent, next)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from .conftest import AUTHORIZATION_URL, CLIENT_ID, ISSUER

URL = "/api/v1.0/authenticate/"

pytestmark = pytest.mark.django_db


def params_of(response) -> dict[str, str]:
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{AUTHORIZATION_URL}?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def test_authorization_request(client, op_settings):
    params = params_of(client.get(URL))
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["scope"] == "openid email profile"
    assert params["redirect_uri"] == "http://testserver/api/v1.0/callback/"
    assert "prompt" not in params
    entry = client.session["oidc_states"][params["state"]]
    assert entry["nonce"] == params["nonce"]
    assert params["code_challenge_method"] == "S256"
    digest = hashlib.sha256(entry["code_verifier"].encode()).digest()
    assert params["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_each_request_gets_its_own_state(client, op_settings):
    first, second = params_of(client.get(URL)), params_of(client.get(URL))
    assert first["state"] != second["state"]
    assert first["nonce"] != second["nonce"]
    assert {first["state"], second["state"]} <= set(client.session["oidc_states"])


def test_extra_parameters_do_not_override_ours(client, op_settings):
    op_settings.OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1", "client_id": "evil"}
    params = params_of(client.get(URL))
    assert params["acr_values"] == "eidas1"
    assert params["client_id"] == CLIENT_ID


def test_silent_sends_prompt_none(client, op_settings):
    params = params_of(client.get(URL, {"silent": "true"}))
    assert params["prompt"] == "none"
    assert client.session["oidc_states"][params["state"]]["silent"] is True


@pytest.mark.parametrize(
    ("next_url", "kept"),
    [
        ("/teams/", "/teams/"),
        ("http://testserver/teams/", "http://testserver/teams/"),
        ("https://app.example.fr/x", "https://app.example.fr/x"),
        ("https://evil.example.com/", None),
        ("//evil.example.com/", None),
        ("///evil.example.com/", None),
        ("/\\evil.example.com/", None),
        ("\\\\evil.example.com/", None),
        ("/\t/evil.example.com/", None),
        (" //evil.example.com/", None),
        ("https:evil.example.com", None),
        ("http://testserver@evil.example.com/", None),
        ("http://evil.example.com\\@testserver/", None),
        ("javascript:alert(1)", None),
        ("JavaScript://testserver/%0Aalert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
    ],
)
def test_next_is_kept_only_for_allowed_hosts(client, op_settings, next_url, kept):
    op_settings.OIDC_REDIRECT_ALLOWED_HOSTS = ["app.example.fr"]
    params = params_of(client.get(URL, {"next": next_url}))
    assert client.session["oidc_states"][params["state"]]["next"] == kept


def test_endpoint_from_discovery(client, op_settings):
    op_settings.OIDC_OP_URL = ISSUER
    op_settings.OIDC_OP_AUTHORIZATION_ENDPOINT = None
    with responses.RequestsMock() as mocked:
        mocked.get(f"{ISSUER}/.well-known/openid-configuration", json={"issuer": ISSUER, "authorization_endpoint": AUTHORIZATION_URL})
        assert params_of(client.get(URL))["client_id"] == CLIENT_ID


def test_provider_unreachable_leads_to_the_failure_page(client, op_settings):
    op_settings.OIDC_OP_URL = ISSUER
    op_settings.OIDC_OP_AUTHORIZATION_ENDPOINT = None
    with responses.RequestsMock() as mocked:
        mocked.get(f"{ISSUER}/.well-known/openid-configuration", status=503)
        response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/api/v1.0/login-failure/?error=provider_error"


def test_other_methods_answer_405_json(client, op_settings):
    response = client.post(URL)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}
