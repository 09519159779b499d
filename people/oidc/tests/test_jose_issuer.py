"""One issuer rule for everything the provider signs or says: an exact string match with the
configured (`OIDC_OP_ISSUER`) or discovered issuer, and nothing accepted without one."""

from __future__ import annotations

import pytest
import responses

from config.oidc import OidcEnv
from people.oidc import jose, provider
from people.oidc.errors import InvalidToken, ProviderUnavailable

ISSUER = "https://op.example.test/realms/agents"


@pytest.fixture
def configured(settings):
    settings.OIDC_OP_URL = None
    settings.OIDC_OP_ISSUER = ISSUER
    provider.reset_cache()
    yield settings
    provider.reset_cache()


def test_the_configured_issuer_is_accepted(configured):
    jose.check_issuer(ISSUER)


@pytest.mark.parametrize(
    "value",
    [ISSUER + "/", ISSUER.upper(), "https://op.example.test/realms/agents/../agents", "https://op.example.test", "", 42, None],
)
def test_anything_but_the_exact_issuer_is_refused(configured, value):
    with pytest.raises(InvalidToken, match="issuer"):
        jose.check_issuer(value)


def test_absent_issuer_is_accepted_only_where_optional(configured):
    jose.check_issuer(None, required=False)
    with pytest.raises(InvalidToken):
        jose.check_issuer("https://evil.example.test", required=False)


def test_without_any_issuer_nothing_is_accepted(settings):
    """No token-endpoint origin nor `OIDC_OP_URL` stands in for an issuer that is not known."""
    settings.OIDC_OP_URL = None
    settings.OIDC_OP_ISSUER = None
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://op.example.test/token"
    with pytest.raises(InvalidToken, match="no issuer configured"):
        jose.check_issuer("https://op.example.test")


def test_the_discovered_issuer_is_used_verbatim(settings):
    settings.OIDC_OP_URL = "https://op.example.test"
    settings.OIDC_OP_ISSUER = None
    settings.OIDC_OP_TOKEN_ENDPOINT = None
    provider.reset_cache()
    discovery = {"issuer": "https://op.example.test/", "token_endpoint": "https://op.example.test/token"}
    with responses.RequestsMock() as mocked:
        mocked.get("https://op.example.test/.well-known/openid-configuration", json=discovery)
        jose.check_issuer("https://op.example.test/")
        with pytest.raises(InvalidToken):
            jose.check_issuer("https://op.example.test")
    provider.reset_cache()


def test_discovery_down_is_unavailability_not_a_refusal(settings):
    settings.OIDC_OP_URL = "https://op.example.test"
    settings.OIDC_OP_ISSUER = None
    provider.reset_cache()
    with responses.RequestsMock() as mocked:
        mocked.get("https://op.example.test/.well-known/openid-configuration", status=502)
        with pytest.raises(ProviderUnavailable):
            jose.check_issuer("https://op.example.test")
    provider.reset_cache()


def test_a_configured_issuer_keeps_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("OIDC_OP_ISSUER", "https://op.example.test/")
    monkeypatch.setenv("OIDC_OP_URL", "https://op.example.test/")
    env = OidcEnv()
    assert env.OIDC_OP_ISSUER == "https://op.example.test/"
    assert env.OIDC_OP_URL == "https://op.example.test"
