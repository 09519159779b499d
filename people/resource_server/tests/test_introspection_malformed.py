"""Answers of the provider we cannot use (malformed, too deep, too large, wrong member types),
in both formats and in the discovery and JWKS documents: the provider is unavailable (503,
logged for the operator, nothing cached), never a 500 and never a refusal of the token (401)."""

import base64
import json
import logging
import time

import pytest
import responses
from django.core.cache import cache
from joserfc import jws
from rest_framework.test import APIClient

from config.oidc import OidcEnv
from people.oidc import provider
from people.oidc.errors import ProviderUnavailable
from people.resource_server import introspection
from people.resource_server.introspection import authenticate_token
from tests.factories import UserFactory

from .conftest import INTROSPECTION_URL, ISSUER, JWKS_URL, RS_CLIENT_ID, encrypt, jwt_response
from .conftest import introspection as active

pytestmark = pytest.mark.django_db

TOKEN = "tok_" + "c" * 40
DEEP = "[" * 5000 + "]" * 5000


def _json(**members) -> str:
    return json.dumps({**active("agent-1"), **members})


JSON_ANSWERS = {
    "not json": "active: true",
    "truncated": _json()[:-1],
    "not an object": '["active"]',
    "a string": '"active"',
    "too deep": '{"active": true, "x": ' + DEEP + "}",
    "just too deep": '{"active": true, "x": ' + "[" * 32 + "]" * 32 + "}",
    "NaN exp": _json(exp=float("nan")),
    "Infinity exp": _json(exp=float("inf")),
    "huge exp": _json(exp=10**400),
    "boolean exp": _json(exp=True),
    "text exp": _json(exp="tomorrow"),
    "text active": json.dumps({"active": "true", "sub": "agent-1", "client_id": "service-a", "scope": "groups"}),
    "numeric active": json.dumps({"active": 1, "sub": "agent-1", "client_id": "service-a", "scope": "groups"}),
    "list scope": _json(scope=["groups"]),
    "list sub": _json(sub=["agent-1"]),
    "numeric client_id": _json(client_id=42),
    "aud of numbers": _json(aud=[1, 2]),
    "object iss": _json(iss={"url": ISSUER}),
    "NUL in sub": _json(sub="agent\x00-1"),
    "NUL in client_id": _json(client_id="service\x00-a"),
    "lone surrogate in sub": _json()[:-1] + ', "sub": "agent\\ud800"}',
    "lone surrogate in client_id": _json()[:-1] + ', "client_id": "\\udfff"}',
}


def _assert_unavailable_and_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="people.resource_server"), pytest.raises(ProviderUnavailable):
        authenticate_token(TOKEN)
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "introspection_answer_malformed"]
    assert record.levelno == logging.ERROR
    assert record.problem
    assert TOKEN not in record.getMessage()
    assert cache.get(introspection.CACHE_PREFIX + introspection._token_digest(TOKEN)) is None


@pytest.mark.parametrize("answer", JSON_ANSWERS)
def test_malformed_json_answers(rs_settings, fake_provider, caplog, answer):
    UserFactory(sub="agent-1")
    fake_provider.answers[TOKEN] = ("application/json", JSON_ANSWERS[answer])
    _assert_unavailable_and_logged(caplog)


def test_answer_over_the_size_limit_is_not_read_whole(rs_settings, caplog):
    UserFactory(sub="agent-1")
    rs_settings.OIDC_OP_MAX_RESPONSE_SIZE = 2048
    big = _json()[:-1] + ', "padding": "' + "x" * 4096 + '"}'
    for declared in (True, False):
        cache.clear()
        introspection.LOCAL_VERDICTS.clear()
        caplog.clear()
        with responses.RequestsMock() as mock:
            mock.add(responses.POST, INTROSPECTION_URL, body=big, auto_calculate_content_length=declared)
            _assert_unavailable_and_logged(caplog)
    # Under the limit, the same answer is fine.
    rs_settings.OIDC_OP_MAX_RESPONSE_SIZE = 65536
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, INTROSPECTION_URL, body=big)
        assert authenticate_token(TOKEN).audience == "service-a"


def test_the_default_limit_is_64_kib(rs_settings):
    assert OidcEnv.model_fields["OIDC_OP_MAX_RESPONSE_SIZE"].default == 65536


def _signed_raw(payload: str, key) -> str:
    return jws.serialize_compact({"alg": "ES256", "typ": "token-introspection+jwt", "kid": key.kid}, payload, key)


def _claims(**overrides) -> dict:
    body = {"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": active("agent-1")}
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not None}


JWT_ANSWERS = {
    "garbage": lambda sk, ek: "a.b.c.d.e",
    "plain json": lambda sk, ek: json.dumps(active("agent-1")),
    "signed but not encrypted": lambda sk, ek: _signed_raw(json.dumps(_claims()), sk),
    "not ascii": lambda sk, ek: "é.é.é.é.é",
    "deep JWE header": lambda sk, ek: base64.urlsafe_b64encode(DEEP.encode()).decode() + ".a.b.c.d",
    "deep payload": lambda sk, ek: encrypt(_signed_raw('{"x": ' + DEEP + "}", sk), ek),
    "payload not json": lambda sk, ek: encrypt(_signed_raw("active", sk), ek),
    "payload not an object": lambda sk, ek: encrypt(_signed_raw("[1]", sk), ek),
    "decrypted content not a JWS": lambda sk, ek: encrypt("not-a-jws", ek),
    "missing token_introspection": lambda sk, ek: encrypt(_signed_raw(json.dumps(_claims(token_introspection=None)), sk), ek),
    "token_introspection not an object": lambda sk, ek: encrypt(
        _signed_raw(json.dumps(_claims(token_introspection="yes")), sk), ek
    ),
    "numeric iss": lambda sk, ek: encrypt(_signed_raw(json.dumps(_claims(iss=1)), sk), ek),
    "object aud": lambda sk, ek: encrypt(_signed_raw(json.dumps(_claims(aud={"a": 1})), sk), ek),
    "text iat": lambda sk, ek: encrypt(_signed_raw(json.dumps(_claims(iat="now")), sk), ek),
    "inner text active": lambda sk, ek: jwt_response({"active": "true", "sub": "agent-1"}, sk, ek),
    "inner list sub": lambda sk, ek: jwt_response(active(["agent-1"]), sk, ek),
}


@pytest.mark.parametrize("answer", JWT_ANSWERS)
def test_malformed_jwt_answers(rs_settings, fake_provider, op_signing_key, rs_key, caplog, answer):
    rs_settings.OIDC_RS_INTROSPECTION_FORMAT = "jwt"
    UserFactory(sub="agent-1")
    fake_provider.answer_jwt(TOKEN, JWT_ANSWERS[answer](op_signing_key, rs_key))
    _assert_unavailable_and_logged(caplog)


PROVIDER_DOCUMENTS = {
    "too deep": DEEP,
    "not json": "keys",
    "not an object": "[]",
    "too large": json.dumps({"keys": [], "padding": "x" * 70_000}),
}


@pytest.mark.parametrize("document", PROVIDER_DOCUMENTS)
def test_malformed_discovery_document(rs_settings, caplog, document):
    rs_settings.OIDC_OP_INTROSPECTION_ENDPOINT = None
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, f"{ISSUER}/.well-known/openid-configuration", body=PROVIDER_DOCUMENTS[document])
        with caplog.at_level(logging.ERROR), pytest.raises(ProviderUnavailable):
            authenticate_token(TOKEN)
    assert any(getattr(r, "event", None) == "provider_answer_unusable" for r in caplog.records)


@pytest.mark.parametrize("document", PROVIDER_DOCUMENTS)
def test_malformed_jwks(rs_settings, op_signing_key, rs_key, caplog, document):
    rs_settings.OIDC_RS_INTROSPECTION_FORMAT = "jwt"
    UserFactory(sub="agent-1")
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, INTROSPECTION_URL, body=jwt_response(active("agent-1"), op_signing_key, rs_key))
        mock.add(responses.GET, JWKS_URL, body=PROVIDER_DOCUMENTS[document])
        with caplog.at_level(logging.ERROR), pytest.raises(ProviderUnavailable):
            authenticate_token(TOKEN)
    assert any(getattr(r, "event", None) == "provider_answer_unusable" for r in caplog.records)
    provider.reset_cache()


@pytest.mark.parametrize("answer", ["too deep", "lone surrogate in sub", "NUL in client_id", "text active"])
def test_over_http_a_malformed_answer_is_a_503(rs_settings, fake_provider, answer):
    """The whole path, on every database (a NUL or a surrogate would break a query)."""
    UserFactory(sub="agent-1")
    fake_provider.answers[TOKEN] = ("application/json", JSON_ANSWERS[answer])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    response = client.get("/resource-server/v1.0/users/me/")
    assert response.status_code == 503
    assert response.json()["code"] == "identity_provider_unavailable"
