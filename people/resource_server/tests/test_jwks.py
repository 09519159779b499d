"""GET /api/v1.0/jwks and /resource-server/v1.0/jwks: our public key, nothing secret, cheap."""

import json

import pytest

from people.oidc import keys
from people.oidc.keys import PRIVATE_MEMBERS

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1.0/jwks", "/resource-server/v1.0/jwks"]


@pytest.mark.parametrize("path", PATHS)
def test_jwks_publishes_the_public_key_only(client, rs_settings, rs_key, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    [member] = document["keys"]
    assert member == {**rs_key.as_dict(private=False), "use": "enc", "alg": "RSA-OAEP", "kid": rs_key.thumbprint()}
    assert not PRIVATE_MEMBERS & set(member)
    private = rs_key.as_dict(private=True)
    for name in ("d", "p", "q"):
        assert private[name] not in response.content.decode()


def test_jwks_without_key_is_an_empty_set(client, settings):
    settings.OIDC_RS_PRIVATE_KEY_STR = None
    response = client.get("/api/v1.0/jwks")
    assert response.status_code == 200
    assert response.json() == {"keys": []}


def test_jwks_is_built_once_and_costs_no_query(client, rs_settings, django_assert_num_queries, monkeypatch):
    client.get("/api/v1.0/jwks")
    calls = []
    original = keys.build_key_ring
    monkeypatch.setattr(keys, "build_key_ring", lambda *a, **k: calls.append(1) or original(*a, **k))
    with django_assert_num_queries(0):
        for _ in range(3):
            assert client.get("/resource-server/v1.0/jwks").status_code == 200
    assert calls == []


def test_jwks_follows_a_changed_setting(client, rs_settings):
    first = client.get("/api/v1.0/jwks").json()
    from joserfc.jwk import RSAKey

    rs_settings.OIDC_RS_PRIVATE_KEY_STR = RSAKey.generate_key(2048).as_pem(private=True).decode()
    second = client.get("/api/v1.0/jwks").json()
    assert first["keys"][0]["kid"] != second["keys"][0]["kid"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_jwks_is_read_only(client, rs_settings, method):
    assert getattr(client, method)("/api/v1.0/jwks").status_code == 405


def test_jwks_can_be_cached_by_the_provider(client, rs_settings):
    response = client.get("/api/v1.0/jwks")
    assert "max-age" in response["Cache-Control"]
    assert json.loads(response.content)["keys"]
