"""Our encryption keys: parsing, public JWK Set, clear errors when misconfigured."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import ECKey, RSAKey

from people.oidc.keys import PRIVATE_MEMBERS, build_key_ring

RSA = {"key_type": "RSA", "algorithm": "RSA-OAEP", "encoding": "A256GCM"}


def test_pem_key_gives_one_public_encryption_key(rs_key):
    ring = build_key_ring(rs_key.as_pem(private=True).decode(), **RSA)
    document = json.loads(ring.jwks_json)
    assert len(document["keys"]) == 1
    member = document["keys"][0]
    assert member["kid"] == rs_key.thumbprint()
    assert (member["use"], member["alg"], member["kty"]) == ("enc", "RSA-OAEP", "RSA")
    assert member["n"] == rs_key.as_dict()["n"]
    assert not PRIVATE_MEMBERS & set(member)
    assert list(ring.keys) == [rs_key.thumbprint()]


def test_several_pem_keys_are_all_published_for_a_rotation(rs_key):
    other = RSAKey.generate_key(2048)
    value = rs_key.as_pem(private=True).decode() + "\n" + other.as_pem(private=True).decode()
    ring = build_key_ring(value, **RSA)
    kids = [member["kid"] for member in json.loads(ring.jwks_json)["keys"]]
    assert kids == [rs_key.thumbprint(), other.thumbprint()]
    assert ring.candidates(other.thumbprint())[0].thumbprint() == other.thumbprint()
    assert ring.candidates("unknown") == []
    assert len(ring.candidates(None)) == 2


def test_jwk_set_keeps_its_kids():
    key = RSAKey.generate_key(2048, parameters={"kid": "2026-01"})
    ring = build_key_ring(json.dumps({"keys": [key.as_dict(private=True)]}), **RSA)
    assert json.loads(ring.jwks_json)["keys"][0]["kid"] == "2026-01"


def test_ec_key_with_ecdh():
    key = ECKey.generate_key("P-256")
    ring = build_key_ring(
        key.as_pem(private=True).decode(), key_type="EC", algorithm="ECDH-ES+A256KW", encoding="A256GCM"
    )
    member = json.loads(ring.jwks_json)["keys"][0]
    assert member["kty"] == "EC"
    assert "d" not in member


def test_no_key_gives_an_empty_set():
    ring = build_key_ring(None, **RSA)
    assert not ring
    assert json.loads(ring.jwks_json) == {"keys": []}


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        ("not a key", RSA, "expected PEM"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", RSA, "cannot read the key"),
        ("{not json", RSA, "cannot read the key"),
        ('{"keys": []}', RSA, "holds no key"),
        (None, {**RSA, "algorithm": "RSA-NOPE"}, "OIDC_RS_ENCRYPTION_ALGO"),
        (None, {**RSA, "encoding": "A1GCM"}, "OIDC_RS_ENCRYPTION_ENCODING"),
        (None, {**RSA, "algorithm": "dir"}, "not an asymmetric"),
        (None, {**RSA, "algorithm": "ECDH-ES"}, "does not work with"),
    ],
)
def test_misconfiguration_is_a_clear_error(value, options, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        build_key_ring(value, **options)


def test_public_key_is_refused(rs_key):
    with pytest.raises(ImproperlyConfigured, match="public key"):
        build_key_ring(rs_key.as_pem(private=False).decode(), **RSA)


def test_key_type_must_match_the_setting():
    key = ECKey.generate_key("P-256")
    with pytest.raises(ImproperlyConfigured, match="cannot read the key|of type EC"):
        build_key_ring(key.as_pem(private=True).decode(), **RSA)


def test_short_rsa_key_is_refused():
    key = RSAKey.generate_key(1024, private=True)
    with pytest.raises(ImproperlyConfigured, match="shorter than 2048"):
        build_key_ring(key.as_pem(private=True).decode(), **RSA)


def test_start_up_refuses_jwt_format_without_a_key(settings):
    from django.apps import apps

    settings.OIDC_RS_INTROSPECTION_FORMAT = "jwt"
    settings.OIDC_RS_PRIVATE_KEY_STR = None
    with pytest.raises(ImproperlyConfigured, match="needs our private key"):
        apps.get_app_config("resource_server").ready()


def test_start_up_refuses_a_broken_key(settings):
    from django.apps import apps

    settings.OIDC_RS_PRIVATE_KEY_STR = "garbage"
    with pytest.raises(ImproperlyConfigured, match="OIDC_RS_PRIVATE_KEY_STR"):
        apps.get_app_config("resource_server").ready()


def test_private_key_may_come_from_a_file(tmp_path, monkeypatch, rs_key):
    from config.env import load
    from config.resource_server import ResourceServerEnv

    path = tmp_path / "rs-key.pem"
    path.write_bytes(rs_key.as_pem(private=True))
    monkeypatch.delenv("OIDC_RS_PRIVATE_KEY_STR", raising=False)
    monkeypatch.setenv("OIDC_RS_PRIVATE_KEY_FILE", str(path))
    env = load(ResourceServerEnv)
    ring = build_key_ring(env.OIDC_RS_PRIVATE_KEY_STR or env.OIDC_RS_PRIVATE_KEY, **RSA)
    assert list(ring.keys) == [rs_key.thumbprint()]


def test_unreadable_key_file_is_a_clear_error(tmp_path, monkeypatch):
    from config.env import load
    from config.resource_server import ResourceServerEnv

    monkeypatch.delenv("OIDC_RS_PRIVATE_KEY_STR", raising=False)
    monkeypatch.setenv("OIDC_RS_PRIVATE_KEY_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ImproperlyConfigured, match="OIDC_RS_PRIVATE_KEY_FILE"):
        load(ResourceServerEnv)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OIDC_RS_SIGNING_ALGO", "none"),
        ("OIDC_RS_SIGNING_ALGO", "HS256"),
        ("OIDC_RS_SIGNING_ALGO", "ES265"),
        ("OIDC_RS_INTROSPECTION_FORMAT", "xml"),
        ("OIDC_RS_AUDIENCE_CLAIM", "azp"),
        ("OIDC_RS_ENCRYPTION_KEY_TYPE", "oct"),
        ("OIDC_RS_CACHE_TTL", "-1"),
        ("OIDC_RS_TIMEOUT", "0"),
    ],
)
def test_bad_settings_stop_the_start_naming_the_variable(monkeypatch, name, value):
    from config.env import load
    from config.resource_server import ResourceServerEnv

    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        load(ResourceServerEnv)


@pytest.mark.parametrize("value", ["ES256", "RS256", "PS512", "EdDSA"])
def test_asymmetric_signing_algorithms_are_accepted(monkeypatch, value):
    from config.env import load
    from config.resource_server import ResourceServerEnv

    monkeypatch.setenv("OIDC_RS_SIGNING_ALGO", value)
    assert value == load(ResourceServerEnv).OIDC_RS_SIGNING_ALGO
