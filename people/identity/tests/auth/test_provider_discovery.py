"""Provider endpoints from settings or discovery, cached in the shared cache."""

from __future__ import annotations

import pytest
import responses

from people.oidc import provider
from people.oidc.errors import ProviderUnavailable

from .conftest import ISSUER

DISCOVERY = f"{ISSUER}/.well-known/openid-configuration"
DOCUMENT = {
    "issuer": ISSUER,
    "authorization_endpoint": f"{ISSUER}/auth",
    "token_endpoint": f"{ISSUER}/token",
    "userinfo_endpoint": f"{ISSUER}/me",
    "jwks_uri": f"{ISSUER}/jwks",
    "end_session_endpoint": f"{ISSUER}/session/end",
    "introspection_endpoint": f"{ISSUER}/token/introspection",
}


@pytest.fixture
def discovery(settings):
    settings.OIDC_OP_URL = ISSUER
    for name in ("ISSUER", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USER_ENDPOINT", "JWKS_ENDPOINT",
                 "LOGOUT_ENDPOINT", "INTROSPECTION_ENDPOINT"):
        setattr(settings, f"OIDC_OP_{name}", None)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.get(DISCOVERY, json=DOCUMENT)
        yield mocked


def test_everything_from_discovery(discovery):
    endpoints = provider.endpoints()
    assert endpoints.issuer == ISSUER
    assert endpoints.token_endpoint == f"{ISSUER}/token"
    assert endpoints.end_session_endpoint == f"{ISSUER}/session/end"
    assert endpoints.introspection_endpoint == f"{ISSUER}/token/introspection"


def test_explicit_settings_win(discovery, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://internal.example.test/token"
    endpoints = provider.endpoints()
    assert endpoints.token_endpoint == "https://internal.example.test/token"
    assert endpoints.userinfo_endpoint == f"{ISSUER}/me"


def test_document_is_cached(discovery):
    provider.endpoints()
    provider.endpoints()
    assert len(discovery.calls) == 1
    provider.reset_cache()
    provider.endpoints()
    assert len(discovery.calls) == 2


def test_no_fetch_when_everything_is_explicit(op_settings):
    op_settings.OIDC_OP_URL = ISSUER
    op_settings.OIDC_OP_INTROSPECTION_ENDPOINT = f"{ISSUER}/introspect"
    with responses.RequestsMock() as mocked:
        assert provider.endpoints().token_endpoint.endswith("/token")
        assert not mocked.calls


@pytest.mark.parametrize("answer", [{"status": 500}, {"body": "<html>"}, {"json": ["not", "an", "object"]}])
def test_broken_discovery(settings, answer):
    settings.OIDC_OP_URL = ISSUER
    settings.OIDC_OP_TOKEN_ENDPOINT = None
    with responses.RequestsMock() as mocked:
        mocked.get(DISCOVERY, **answer)
        with pytest.raises(ProviderUnavailable):
            provider.endpoints()


def test_no_discovery_without_op_url(op_settings):
    op_settings.OIDC_OP_URL = None
    assert provider.discovery_document() == {}
