"""RFC 9701 introspection (signed, then encrypted to us): every JOSE failure is a refusal."""

import json
import time

import pytest
import responses
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from people.oidc.errors import InvalidToken
from people.resource_server.introspection import authenticate_token, decode_jwt_response
from tests.factories import UserFactory

from .conftest import ISSUER, JWKS_URL, RS_CLIENT_ID, encrypt, introspection, jwt_response, sign

pytestmark = pytest.mark.django_db

TOKEN = "tok_" + "b" * 40


@pytest.fixture
def jwt_settings(rs_settings):
    rs_settings.OIDC_RS_INTROSPECTION_FORMAT = "jwt"
    return rs_settings


def test_signed_and_encrypted_answer_is_accepted(jwt_settings, fake_provider, op_signing_key, rs_key):
    user = UserFactory(sub="agent-1")
    fake_provider.answer_jwt(TOKEN, jwt_response(introspection("agent-1"), op_signing_key, rs_key))
    result = authenticate_token(TOKEN)
    assert (result.user, result.audience) == (user, "service-a")
    call = fake_provider.mock.calls[0]
    assert call.request.headers["Accept"] == "application/token-introspection+jwt"


def test_provider_keys_are_cached(jwt_settings, fake_provider, op_signing_key, rs_key):
    UserFactory(sub="agent-1")
    for index in range(3):
        token = f"{TOKEN}{index}"
        fake_provider.answer_jwt(token, jwt_response(introspection("agent-1"), op_signing_key, rs_key))
        authenticate_token(token)
    assert fake_provider.calls_to(JWKS_URL) == 1


def test_unknown_kid_refreshes_provider_keys(jwt_settings, fake_provider, op_signing_key, rs_key):
    UserFactory(sub="agent-1")
    fake_provider.answer_jwt(TOKEN, jwt_response(introspection("agent-1"), op_signing_key, rs_key))
    authenticate_token(TOKEN)
    rotated = ECKey.generate_key("P-256", parameters={"kid": "op-sig-2", "use": "sig"})
    fake_provider.mock.replace(responses.GET, JWKS_URL, json={"keys": [rotated.as_dict(private=False)]})
    fake_provider.answer_jwt(TOKEN + "x", jwt_response(introspection("agent-1"), rotated, rs_key))
    assert authenticate_token(TOKEN + "x").user.sub == "agent-1"
    assert fake_provider.calls_to(JWKS_URL) == 2


def test_refreshes_on_unknown_kid_are_rate_limited(jwt_settings, fake_provider, op_signing_key, rs_key):
    stranger = ECKey.generate_key("P-256", parameters={"kid": "forged"})
    for index in range(3):
        value = jwt_response(introspection("agent-1"), stranger, rs_key)
        with pytest.raises(InvalidToken):
            decode_jwt_response(value)
        assert index >= 0
    assert fake_provider.calls_to(JWKS_URL) == 2  # first load + one refresh


def test_key_rotation_on_our_side_uses_the_kid(jwt_settings, fake_provider, op_signing_key, rs_key):
    new_key = RSAKey.generate_key(2048)
    jwt_settings.OIDC_RS_PRIVATE_KEY_STR = (
        new_key.as_pem(private=True).decode() + rs_key.as_pem(private=True).decode()
    )
    for key in (rs_key, new_key):
        claims = decode_jwt_response(jwt_response(introspection("agent-1"), op_signing_key, key))
        assert claims["sub"] == "agent-1"


def _signed(op_signing_key, **overrides):
    body = {"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": introspection("agent-1")}
    body.update(overrides)
    return sign({name: value for name, value in body.items() if value is not None}, op_signing_key)


def _none_alg(claims: dict) -> str:
    from joserfc.util import urlsafe_b64encode

    header = urlsafe_b64encode(json.dumps({"alg": "none", "typ": "token-introspection+jwt"}).encode()).decode()
    payload = urlsafe_b64encode(json.dumps(claims).encode()).decode()
    return f"{header}.{payload}."


CASES = {
    "wrong encryption key": lambda sk, ek: encrypt(_signed(sk), RSAKey.generate_key(2048), kid=ek.thumbprint()),
    "unknown encryption kid": lambda sk, ek: encrypt(_signed(sk), ek, kid="someone-else"),
    "wrong signing key": lambda sk, ek: encrypt(
        sign({"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": introspection("x")},
             ECKey.generate_key("P-256", parameters={"kid": sk.kid})),
        ek,
    ),
    "alg none": lambda sk, ek: encrypt(
        _none_alg({"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": introspection("x")}),
        ek,
    ),
    "other signing algorithm": lambda sk, ek: encrypt(
        jws.serialize_compact(
            {"alg": "HS256", "kid": sk.kid},
            json.dumps({"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": {}}),
            __import__("joserfc.jwk", fromlist=["OctKey"]).OctKey.generate_key(256),
        ),
        ek,
    ),
    "wrong iss": lambda sk, ek: encrypt(_signed(sk, iss="https://evil.example.test"), ek),
    "missing iss": lambda sk, ek: encrypt(_signed(sk, iss=None), ek),
    "wrong aud": lambda sk, ek: encrypt(_signed(sk, aud="service-a"), ek),
    "expired": lambda sk, ek: encrypt(_signed(sk, iat=int(time.time()) - 3600, exp=int(time.time()) - 600), ek),
    "issued in the future": lambda sk, ek: encrypt(_signed(sk, iat=int(time.time()) + 3600), ek),
    "missing iat": lambda sk, ek: encrypt(_signed(sk, iat=None), ek),
    "header iss differs": lambda sk, ek: encrypt(_signed(sk), ek, header={"iss": "https://evil.example.test"}),
    "header aud differs": lambda sk, ek: encrypt(_signed(sk), ek, header={"aud": "service-a"}),
    "wrong typ": lambda sk, ek: encrypt(
        sign({"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": {}}, sk,
             header={"typ": "JWT"}),
        ek,
    ),
    "missing typ": lambda sk, ek: encrypt(
        jws.serialize_compact(
            {"alg": "ES256", "kid": sk.kid},
            json.dumps({"iss": ISSUER, "aud": RS_CLIENT_ID, "iat": int(time.time()), "token_introspection": introspection("agent-1")}),
            sk,
            algorithms=["ES256"],
        ),
        ek,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_jose_failures_are_refused(jwt_settings, fake_provider, op_signing_key, rs_key, case):
    UserFactory(sub="agent-1")
    fake_provider.answer_jwt(TOKEN, CASES[case](op_signing_key, rs_key))
    with pytest.raises(InvalidToken):
        authenticate_token(TOKEN)


def test_inner_answer_is_checked_like_json(jwt_settings, fake_provider, op_signing_key, rs_key):
    UserFactory(sub="agent-1")
    fake_provider.answer_jwt(TOKEN, jwt_response({"active": False}, op_signing_key, rs_key))
    with pytest.raises(InvalidToken):
        authenticate_token(TOKEN)


def test_leeway_tolerates_small_clock_skew(jwt_settings, fake_provider, op_signing_key, rs_key):
    value = encrypt(_signed(op_signing_key, iat=int(time.time()) + 10, exp=int(time.time()) - 10), rs_key)
    assert decode_jwt_response(value)["sub"] == "agent-1"


def test_provider_jwks_down_is_unavailability(jwt_settings, op_signing_key, rs_key):
    from people.oidc.errors import ProviderUnavailable

    with responses.RequestsMock() as mock:
        mock.add(responses.GET, JWKS_URL, status=503)
        with pytest.raises(ProviderUnavailable):
            decode_jwt_response(jwt_response(introspection("agent-1"), op_signing_key, rs_key))
