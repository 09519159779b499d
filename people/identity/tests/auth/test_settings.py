"""OIDC settings parsing (config/oidc.py): lists, booleans, algorithms, extra parameters."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import load
from config.oidc import OidcEnv


def parse(monkeypatch, **environ) -> OidcEnv:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return load(OidcEnv)


def test_defaults(monkeypatch):
    env = parse(monkeypatch)
    assert env.OIDC_RP_SCOPES == "openid email"
    assert env.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION is True
    assert env.LOGIN_REDIRECT_URL_FAILURE == "/api/v1.0/login-failure/"
    assert env.ONBOARDING_BACKEND == "none"


def test_lists_and_booleans(monkeypatch):
    env = parse(
        monkeypatch,
        OIDC_USERINFO_ESSENTIAL_CLAIMS="sub, email,given_name,,usual_name",
        OIDC_USERINFO_FULLNAME_FIELDS="given_name,usual_name",
        OIDC_RP_SCOPES="openid email given_name usual_name siret",
        OIDC_CREATE_USER="false",
        OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION="true",
    )
    assert env.OIDC_USERINFO_ESSENTIAL_CLAIMS == ["sub", "email", "given_name", "usual_name"]
    assert env.OIDC_USERINFO_FULLNAME_FIELDS == ["given_name", "usual_name"]
    assert env.OIDC_RP_SCOPES == "openid email given_name usual_name siret"
    assert env.OIDC_CREATE_USER is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [('{"acr_values": "eidas1"}', {"acr_values": "eidas1"}), ("acr_values=eidas1&x=y", {"acr_values": "eidas1", "x": "y"}), ("", {})],
)
def test_extra_parameters(monkeypatch, value, expected):
    params = parse(monkeypatch, OIDC_AUTH_REQUEST_EXTRA_PARAMS=value).OIDC_AUTH_REQUEST_EXTRA_PARAMS
    assert params == expected


@pytest.mark.parametrize(
    "environ",
    [
        {"OIDC_RP_ALLOWED_ALGOS": "RS256,none"},
        {"OIDC_RP_ALLOWED_ALGOS": "HS256"},
        {"OIDC_RP_SIGN_ALGO": "HS256"},
        {"OIDC_OP_URL": "ftp://op.example.test"},
        {"OIDC_CREATE_USER": "maybe"},
        {"ONBOARDING_BACKEND": "brevo"},
        {"OIDC_AUTH_REQUEST_EXTRA_PARAMS": "{not json"},
        {"OIDC_AUTH_REQUEST_EXTRA_PARAMS": "no-equals-sign"},
        {"OIDC_RP_SCOPES": "openid,email"},
        {"OIDC_RP_SCOPES": "email profile"},
        {"OIDC_RP_SCOPES": " "},
    ],
)
def test_bad_values_stop_the_start_with_the_name(monkeypatch, environ):
    with pytest.raises(ImproperlyConfigured, match=next(iter(environ))):
        parse(monkeypatch, **environ)


def test_secret_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("OIDC_RP_CLIENT_SECRET", raising=False)
    assert parse(monkeypatch, OIDC_RP_CLIENT_SECRET_FILE=str(secret)).OIDC_RP_CLIENT_SECRET == "s3cret"


def test_scopes_are_normalised(monkeypatch):
    env = parse(monkeypatch, OIDC_RP_SCOPES="  openid\temail  profile openid ")
    assert env.OIDC_RP_SCOPES == "openid email profile"
