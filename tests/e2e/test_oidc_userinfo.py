"""Userinfo as JSON, as a signed JWT, as a signed then encrypted JWT; pairwise subjects;
endpoints from discovery. All through the real provider."""

from __future__ import annotations

import pytest
import requests

from people.identity.models import User
from people.oidc import keys

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def _sign_in_as_new_account(people_oidc, email: str) -> tuple[str, requests.Response]:
    login = people_oidc.new_account(email=email, given_name="Uma", usual_name="Info")
    with requests.Session() as http:
        result = people_oidc.sign_in(http, login)
        me = people_oidc.me(http)
    assert result.location == "/", result.location
    return login, me


def test_json_userinfo(people_oidc):
    people_oidc.use("people", OIDC_USERINFO_ESSENTIAL_CLAIMS=["email", "usual_name"])
    login, me = _sign_in_as_new_account(people_oidc, "json@example.fr")
    assert me.json()["email"] == "json@example.fr"
    assert User.objects.get(sub=login).name == "Uma Info"


def test_signed_jwt_userinfo_and_es256_id_token(people_oidc):
    people_oidc.use("people-jwt", OIDC_USERINFO_ESSENTIAL_CLAIMS=["email", "usual_name"])
    assert people_oidc.settings.OIDC_RP_SIGN_ALGO == "ES256"
    login, me = _sign_in_as_new_account(people_oidc, "jwt@example.fr")
    assert me.json()["email"] == "jwt@example.fr"
    assert User.objects.get(sub=login).name == "Uma Info"


def test_encrypted_jwt_userinfo_is_decrypted_with_our_key(people_oidc):
    people_oidc.use(
        "people-jwe",
        OIDC_USERINFO_ESSENTIAL_CLAIMS=["email", "usual_name"],
        OIDC_RS_PRIVATE_KEY_STR=people_oidc.provider.rp_encryption_key_pem,
        OIDC_RS_ENCRYPTION_ALGO="RSA-OAEP",
        OIDC_RS_ENCRYPTION_ENCODING="A256GCM",
    )
    keys.reset()
    try:
        login, me = _sign_in_as_new_account(people_oidc, "jwe@example.fr")
    finally:
        keys.reset()
    assert me.json()["email"] == "jwe@example.fr"
    assert User.objects.get(sub=login).email == "jwe@example.fr"


def test_encrypted_userinfo_without_our_key_is_refused(people_oidc):
    people_oidc.use("people-jwe", OIDC_RS_PRIVATE_KEY_STR=None)
    keys.reset()
    login = people_oidc.new_account(email="nokey@example.fr", given_name="N", usual_name="K")
    try:
        with requests.Session() as http:
            assert people_oidc.sign_in(http, login).location.endswith("error=invalid_token")
    finally:
        keys.reset()
    assert not User.objects.filter(email="nokey@example.fr").exists()


def test_pairwise_subject(people_oidc):
    people_oidc.use("people-pairwise")
    login, me = _sign_in_as_new_account(people_oidc, "pairwise@example.fr")
    user = User.objects.get(email="pairwise@example.fr")
    assert user.sub != login
    assert len(user.sub) == 64
    # The same person comes back: same pairwise subject, same account.
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location == "/"
    assert User.objects.filter(email="pairwise@example.fr").count() == 1


def test_endpoints_and_issuer_from_discovery(people_oidc):
    people_oidc.use("people", discovery=True)
    assert people_oidc.settings.OIDC_OP_TOKEN_ENDPOINT is None
    login, me = _sign_in_as_new_account(people_oidc, "discovered@example.fr")
    assert me.status_code == 200
    assert User.objects.filter(sub=login).exists()


def test_wrong_issuer_configured_is_refused(people_oidc):
    people_oidc.use("people", OIDC_OP_ISSUER="https://other-provider.example.com")
    login = people_oidc.new_account(email="iss@example.fr", given_name="I", usual_name="S")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location.endswith("error=invalid_token")
    assert not User.objects.filter(sub=login).exists()
