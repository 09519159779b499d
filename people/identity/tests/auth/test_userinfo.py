"""Userinfo answers: JSON or JWT chosen by Content-Type; JWT signed, maybe encrypted to us."""

from __future__ import annotations

import json

import pytest
import responses
from joserfc import jwe
from joserfc.jwk import RSAKey
from joserfc.registry import HeaderParameter

from people.identity.auth.tokens import decode_userinfo
from people.oidc import http, keys
from people.oidc.errors import InvalidToken, ProviderUnavailable
from people.oidc.http import Answer

from .conftest import CLIENT_ID, ISSUER, USERINFO_URL

OUR_KEY = RSAKey.generate_key(2048, private=True)


def answer(body: str, content_type: str, status: int = 200) -> Answer:
    """The answer as the provider HTTP layer gives it (`http.call` on USERINFO_URL)."""
    with responses.RequestsMock() as mocked:
        mocked.get(USERINFO_URL, body=body, status=status, content_type=content_type)
        return http.call("GET", USERINFO_URL, endpoint_kind="userinfo", what="userinfo")


@pytest.fixture
def our_key(settings):
    settings.OIDC_RS_PRIVATE_KEY_STR = OUR_KEY.as_pem(private=True).decode()
    settings.OIDC_RS_ENCRYPTION_ALGO = "RSA-OAEP"
    settings.OIDC_RS_ENCRYPTION_ENCODING = "A256GCM"
    keys.reset()
    yield OUR_KEY
    keys.reset()


def encrypt(signed: str, *, header: dict | None = None) -> str:
    protected = {"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "JWT", "kid": OUR_KEY.thumbprint(), **(header or {})}
    registry = jwe.JWERegistry(header_registry={"iss": HeaderParameter("iss", "str")}) if header else None
    return jwe.encrypt_compact(protected, signed, OUR_KEY, registry=registry)


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"])
def test_json(fake_op, content_type):
    claims = decode_userinfo(answer('{"sub": "sub-1", "email": "a@example.fr"}', content_type), subject="sub-1")
    assert claims == {"sub": "sub-1", "email": "a@example.fr"}
    assert fake_op.jwks_calls == 0  # a JSON answer is not a token: no key is looked at


def test_jwt_body_labelled_json_is_not_trusted_as_claims(fake_op):
    token = fake_op.sign({"sub": "sub-1", "email": "a@example.fr"})
    with pytest.raises(ProviderUnavailable, match="not JSON"):
        decode_userinfo(answer(token, "application/json"), subject="sub-1")


def test_signed_jwt_with_charset(fake_op):
    token = fake_op.sign({"sub": "sub-1", "email": "a@example.fr", "iss": ISSUER, "aud": CLIENT_ID})
    claims = decode_userinfo(answer(token, "application/jwt; charset=utf-8"), subject="sub-1")
    assert claims["email"] == "a@example.fr"


def test_signed_jwt_without_iss_and_aud(fake_op):
    token = fake_op.sign({"sub": "sub-1", "email": "a@example.fr"}, alg="ES256")
    assert decode_userinfo(answer(token, "application/jwt"), subject="sub-1")["email"] == "a@example.fr"


def test_signed_jwt_for_another_client_is_refused(fake_op):
    token = fake_op.sign({"sub": "sub-1", "aud": "other-client"})
    with pytest.raises(InvalidToken, match="not addressed to us"):
        decode_userinfo(answer(token, "application/jwt"), subject="sub-1")


def test_signed_jwt_from_another_issuer_is_refused(fake_op):
    token = fake_op.sign({"sub": "sub-1", "iss": "https://evil.example.test"})
    with pytest.raises(InvalidToken, match="issuer"):
        decode_userinfo(answer(token, "application/jwt"), subject="sub-1")


def test_unsigned_jwt_is_refused(fake_op):
    with pytest.raises(InvalidToken, match="not allowed"):
        decode_userinfo(answer(fake_op.unsigned({"sub": "sub-1"}), "application/jwt"), subject="sub-1")


def test_encrypted_then_signed(fake_op, our_key):
    signed = fake_op.sign({"sub": "sub-1", "email": "secret@example.fr", "iss": ISSUER, "aud": CLIENT_ID})
    claims = decode_userinfo(answer(encrypt(signed), "application/jwt"), subject="sub-1")
    assert claims["email"] == "secret@example.fr"


def test_encrypted_with_replicated_issuer_that_differs(fake_op, our_key):
    signed = fake_op.sign({"sub": "sub-1", "iss": ISSUER, "aud": CLIENT_ID})
    token = encrypt(signed, header={"iss": "https://evil.example.test"})
    with pytest.raises(InvalidToken, match="differs"):
        decode_userinfo(answer(token, "application/jwt"), subject="sub-1")


def test_encrypted_to_another_key_is_refused(fake_op, our_key):
    stranger = RSAKey.generate_key(2048, private=True)
    signed = fake_op.sign({"sub": "sub-1"})
    token = jwe.encrypt_compact({"alg": "RSA-OAEP", "enc": "A256GCM"}, signed, stranger)
    with pytest.raises(InvalidToken, match="cannot decrypt"):
        decode_userinfo(answer(token, "application/jwt"), subject="sub-1")


def test_encrypted_but_content_not_signed_is_refused(fake_op, our_key):
    token = encrypt(json.dumps({"sub": "sub-1"}))
    with pytest.raises(InvalidToken, match="compact JWS"):
        decode_userinfo(answer(token, "application/jwt"), subject="sub-1")


def test_subject_must_match_the_id_token(fake_op):
    with pytest.raises(InvalidToken, match="subject"):
        decode_userinfo(answer('{"sub": "someone-else"}', "application/json"), subject="sub-1")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"sub": "sub-1"}', "application/json", 401),
        ('{"sub": "sub-1"}', "text/html", 200),
        ("not json", "application/json", 200),
        ('["sub-1"]', "application/json", 200),
    ],
)
def test_unusable_answers_are_provider_errors(fake_op, body, content_type, status):
    with pytest.raises(ProviderUnavailable):
        decode_userinfo(answer(body, content_type, status), subject="sub-1")
