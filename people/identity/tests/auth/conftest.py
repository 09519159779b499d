"""A simulated provider for unit tests: our own keys, its JWKS served through `responses`.

The real provider (tests/peers/oidc) never issues expired, misaddressed or forged tokens, so
the checks that refuse them are tested with tokens signed here.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
import responses
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

ISSUER = "https://op.example.test"
CLIENT_ID = "people"
JWKS_URL = f"{ISSUER}/jwks"
TOKEN_URL = f"{ISSUER}/token"
USERINFO_URL = f"{ISSUER}/userinfo"
AUTHORIZATION_URL = f"{ISSUER}/authorize"
END_SESSION_URL = f"{ISSUER}/session/end"

_RSA = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "alg": "RS256", "use": "sig"}, private=True)
_EC = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "alg": "ES256", "use": "sig"}, private=True)
_OTHER = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "alg": "RS256"}, private=True)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeProvider:
    rsa = _RSA
    ec = _EC
    other = _OTHER

    def __init__(self, mocked: responses.RequestsMock):
        self.mocked = mocked
        self.keys = [self.rsa, self.ec]
        self.jwks_calls = 0
        mocked.add_callback(responses.GET, JWKS_URL, callback=self._jwks)

    def _jwks(self, request):
        self.jwks_calls += 1
        body = {"keys": [key.as_dict(private=False) for key in self.keys]}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        values = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "sub-1", "iat": now, "exp": now + 300, "nonce": "n-1"}
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    def sign(self, claims: dict[str, Any] | None = None, *, key=None, alg: str = "RS256", header: dict | None = None) -> str:
        key = key or (self.ec if alg.startswith("ES") else self.rsa)
        return jwt.encode({"alg": alg, "kid": key.kid, **(header or {})}, claims or self.claims(), key, algorithms=[alg])

    @staticmethod
    def unsigned(claims: dict[str, Any]) -> str:
        return f"{b64(json.dumps({'alg': 'none'}).encode())}.{b64(json.dumps(claims).encode())}."


@pytest.fixture
def op_settings(settings):
    """People configured for the simulated provider (explicit endpoints, no discovery)."""
    settings.OIDC_OP_URL = None
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = AUTHORIZATION_URL
    settings.OIDC_OP_TOKEN_ENDPOINT = TOKEN_URL
    settings.OIDC_OP_USER_ENDPOINT = USERINFO_URL
    settings.OIDC_OP_JWKS_ENDPOINT = JWKS_URL
    settings.OIDC_OP_LOGOUT_ENDPOINT = END_SESSION_URL
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_ALLOWED_ALGOS = ["RS256", "ES256"]
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = []
    settings.OIDC_AUTH_REQUEST_EXTRA_PARAMS = {}
    return settings


@pytest.fixture
def fake_op(op_settings):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield FakeProvider(mocked)
