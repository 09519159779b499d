"""ID token checks: signature against the provider's JWKS (cached, refreshed on a new kid),
allowed algorithms only, iss, aud/azp, exp/iat/nbf, nonce, sub."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from joserfc.jwk import RSAKey

from people.identity.auth.tokens import verify_id_token
from people.oidc.errors import InvalidToken

from .conftest import CLIENT_ID, b64


def test_valid_token_gives_its_claims(fake_op):
    claims = verify_id_token(fake_op.sign(), nonce="n-1")
    assert (claims["sub"], claims["aud"]) == ("sub-1", CLIENT_ID)


def test_es256_token_when_allowed(fake_op):
    assert verify_id_token(fake_op.sign(alg="ES256"), nonce="n-1")["sub"] == "sub-1"


def test_algorithm_outside_the_allow_list_is_refused(fake_op, settings):
    settings.OIDC_RP_ALLOWED_ALGOS = ["RS256"]
    with pytest.raises(InvalidToken, match="not allowed"):
        verify_id_token(fake_op.sign(alg="ES256"), nonce="n-1")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"exp": None}, "expired"),
        ({"aud": "someone-else"}, "not addressed to us"),
        ({"aud": [CLIENT_ID, "other"]}, "authorized party"),
        ({"iss": "https://evil.example.test"}, "issuer"),
        ({"iss": None}, "issuer"),
        ({"iss": "https://op.example.test/"}, "issuer"),
        ({"iat": int(time.time()) + 3600}, "future"),
        ({"nbf": int(time.time()) + 3600}, "not yet valid"),
        ({"nonce": "other"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"sub": ""}, "subject"),
        ({"sub": None}, "subject"),
        ({"exp": "tomorrow"}, "expired"),
    ],
)
def test_claim_checks(fake_op, overrides, reason):
    with pytest.raises(InvalidToken, match=reason):
        verify_id_token(fake_op.sign(fake_op.claims(**overrides)), nonce="n-1")


def test_several_audiences_with_us_as_authorized_party(fake_op):
    token = fake_op.sign(fake_op.claims(aud=[CLIENT_ID, "other"], azp=CLIENT_ID))
    assert verify_id_token(token, nonce="n-1")["azp"] == CLIENT_ID


def test_clock_skew_tolerated(fake_op, settings):
    settings.OIDC_CLOCK_SKEW = 120
    token = fake_op.sign(fake_op.claims(exp=int(time.time()) - 60))
    assert verify_id_token(token, nonce="n-1")


def test_bad_signature_is_refused(fake_op):
    forged = fake_op.sign(key=fake_op.other)  # same kid, another key
    with pytest.raises(InvalidToken, match="bad signature"):
        verify_id_token(forged, nonce="n-1")


def test_tampered_payload_is_refused(fake_op):
    header, _payload, signature = fake_op.sign().split(".")
    payload = b64(b'{"sub":"admin","aud":"people","iss":"https://op.example.test","exp":9999999999,"iat":1,"nonce":"n-1"}')
    with pytest.raises(InvalidToken, match="bad signature"):
        verify_id_token(f"{header}.{payload}.{signature}", nonce="n-1")


def test_alg_none_is_refused(fake_op):
    with pytest.raises(InvalidToken, match="not allowed"):
        verify_id_token(fake_op.unsigned(fake_op.claims()), nonce="n-1")
    assert fake_op.jwks_calls == 0


def test_hmac_signed_with_the_public_key_is_refused(fake_op, settings):
    # The classic confusion: an HMAC made with the provider's public key as the secret.
    public_pem = fake_op.rsa.as_pem(private=False)
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'kid': 'rsa-1'}).encode())}.{b64(json.dumps(fake_op.claims()).encode())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64(mac)}"
    with pytest.raises(InvalidToken, match="not allowed"):
        verify_id_token(token, nonce="n-1")
    # Even if an operator forced HS256 in, it is dropped from the allow-list.
    settings.OIDC_RP_ALLOWED_ALGOS = ["RS256", "HS256"]
    with pytest.raises(InvalidToken, match="not allowed"):
        verify_id_token(token, nonce="n-1")


def test_key_published_for_rs256_is_not_used_for_ps256(fake_op, settings):
    settings.OIDC_RP_ALLOWED_ALGOS = ["RS256", "PS256"]
    unbound = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"}, private=True)
    token = fake_op.sign(key=unbound, alg="PS256")
    with pytest.raises(InvalidToken):
        verify_id_token(token, nonce="n-1")


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "!!!.###.$$$", 42, None])
def test_garbage_is_refused(fake_op, token):
    with pytest.raises(InvalidToken):
        verify_id_token(token, nonce="n-1")


def test_jwks_is_cached_between_sign_ins(fake_op):
    verify_id_token(fake_op.sign(), nonce="n-1")
    verify_id_token(fake_op.sign(), nonce="n-1")
    assert fake_op.jwks_calls == 1


def test_unknown_kid_refreshes_the_jwks_once(fake_op):
    verify_id_token(fake_op.sign(), nonce="n-1")
    rotated = RSAKey.generate_key(2048, parameters={"kid": "rsa-2", "alg": "RS256"}, private=True)
    fake_op.keys = [rotated]
    assert verify_id_token(fake_op.sign(key=rotated), nonce="n-1")["sub"] == "sub-1"
    assert fake_op.jwks_calls == 2


def test_refresh_is_rate_limited(fake_op):
    verify_id_token(fake_op.sign(), nonce="n-1")
    stranger = RSAKey.generate_key(2048, parameters={"kid": "random-1"}, private=True)
    for kid in ("random-1", "random-2", "random-3"):
        with pytest.raises(InvalidToken, match="no key"):
            verify_id_token(fake_op.sign(key=stranger, header={"kid": kid}), nonce="n-1")
    assert fake_op.jwks_calls == 2  # the first fetch, then a single refresh


def test_unreachable_jwks_is_a_provider_error(fake_op, settings):
    from people.oidc.errors import ProviderUnavailable

    settings.OIDC_OP_JWKS_ENDPOINT = "https://op.example.test/missing-jwks"
    fake_op.mocked.add("GET", "https://op.example.test/missing-jwks", status=503)
    with pytest.raises(ProviderUnavailable):
        verify_id_token(fake_op.sign(), nonce="n-1")
