"""Fixtures of the resource-server tests: our key, a fake provider's keys, configured settings."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pytest
import responses
from joserfc import jwe, jws
from joserfc.jwk import ECKey, Key, RSAKey

from people.oidc import keys

ISSUER = "https://op.example.test"
INTROSPECTION_URL = f"{ISSUER}/token/introspection"
JWKS_URL = f"{ISSUER}/jwks"
RS_CLIENT_ID = "people-rs"


@pytest.fixture(scope="session")
def rs_key() -> RSAKey:
    return RSAKey.generate_key(2048)


@pytest.fixture(scope="session")
def op_signing_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": "op-sig-1", "use": "sig", "alg": "ES256"})


@pytest.fixture
def rs_settings(settings, rs_key):
    """A configured resource server (JSON format by default)."""
    settings.OIDC_OP_URL = ISSUER
    # Every endpoint explicit: no discovery document to fetch.
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/me"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{ISSUER}/session/end"
    settings.OIDC_OP_INTROSPECTION_ENDPOINT = INTROSPECTION_URL
    settings.OIDC_OP_JWKS_ENDPOINT = JWKS_URL
    settings.OIDC_RS_CLIENT_ID = RS_CLIENT_ID
    settings.OIDC_RS_CLIENT_SECRET = "rs-secret"
    settings.OIDC_RS_PRIVATE_KEY_STR = rs_key.as_pem(private=True).decode()
    settings.OIDC_RS_INTROSPECTION_FORMAT = "json"
    settings.OIDC_RS_SIGNING_ALGO = "ES256"
    settings.OIDC_RS_SCOPES = ["groups"]
    settings.OIDC_RS_AUDIENCE_CLAIM = "client_id"
    settings.OIDC_RS_CACHE_TTL = 60
    settings.OIDC_RS_INACTIVE_CACHE_TTL = 5
    yield settings
    keys.reset()


@pytest.fixture(autouse=True)
def _fresh_keys():
    keys.reset()
    yield
    keys.reset()


def introspection(sub: str, *, audience: str = "service-a", scope: str = "openid groups", **extra) -> dict:
    """What the provider says about an active access token."""
    now = int(time.time())
    return {
        "active": True,
        "sub": sub,
        "client_id": audience,
        "scope": scope,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 600,
        "token_type": "Bearer",
        **extra,
    }


def sign(claims: dict, key: Key, *, alg: str = "ES256", header: dict | None = None) -> str:
    protected = {"alg": alg, "typ": "token-introspection+jwt", "kid": key.kid, **(header or {})}
    return jws.serialize_compact(protected, json.dumps(claims), key, algorithms=[alg])


def encrypt(plaintext: str, key: Key, *, header: dict | None = None, kid: str | None = None) -> str:
    protected = {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": kid or key.thumbprint(), "cty": "JWT", **(header or {})}
    registry = jwe.JWERegistry(header_registry=_extra_headers(protected), algorithms=["RSA-OAEP", "A256GCM"])
    return jwe.encrypt_compact(protected, plaintext, key, registry=registry)


def _extra_headers(header: dict) -> dict:
    from joserfc.registry import HeaderParameter

    return {name: HeaderParameter(name, lambda value: None) for name in header if name in {"iss", "aud"}}


def jwt_response(token_introspection: dict, signing_key: Key, encryption_key: Key, **claims) -> str:
    """An RFC 9701 answer: signed by the provider, encrypted to us."""
    body = {
        "iss": ISSUER,
        "aud": RS_CLIENT_ID,
        "iat": int(time.time()),
        "token_introspection": token_introspection,
        **claims,
    }
    body = {name: value for name, value in body.items() if value is not None}
    return encrypt(sign(body, signing_key), encryption_key, header={"iss": ISSUER, "aud": RS_CLIENT_ID})


@dataclass
class FakeProvider:
    """`responses` stand-in for the provider's introspection and JWKS endpoints."""

    mock: responses.RequestsMock
    answers: dict = field(default_factory=dict)

    def answer_json(self, token: str, body: dict) -> None:
        self.answers[token] = ("application/json", json.dumps(body))

    def answer_jwt(self, token: str, value: str) -> None:
        self.answers[token] = ("application/token-introspection+jwt", value)

    def calls_to(self, url: str) -> int:
        return sum(1 for call in self.mock.calls if call.request.url == url)


@pytest.fixture
def fake_provider(op_signing_key):
    from urllib.parse import parse_qs

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        provider = FakeProvider(mock=mock)

        def _introspect(request):
            token = parse_qs(request.body)["token"][0]
            content_type, body = provider.answers.get(token, ("application/json", '{"active": false}'))
            return 200, {"Content-Type": content_type}, body

        mock.add_callback(responses.POST, INTROSPECTION_URL, callback=_introspect)
        mock.add(
            responses.GET,
            JWKS_URL,
            json={"keys": [op_signing_key.as_dict(private=False)]},
        )
        yield provider


@dataclass
class ServiceCaller:
    """An APIClient calling as `audience` for a user, through the fake provider."""

    provider: FakeProvider
    counter: int = 0

    def client_for(self, user, *, audience: str = "service-a", scope: str = "openid groups"):
        from rest_framework.test import APIClient

        self.counter += 1
        token = f"access-token-{self.counter:04d}-{'x' * 24}"
        self.provider.answer_json(token, introspection(user.sub, audience=audience, scope=scope))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.token = token
        return client


@pytest.fixture
def service(rs_settings, fake_provider) -> ServiceCaller:
    return ServiceCaller(provider=fake_provider)
