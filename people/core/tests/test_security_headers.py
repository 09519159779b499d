"""Browser protections on every answer: HTTPS (HSTS, redirect, the proxy's scheme header), a
Content-Security-Policy that lets only our own assets run, and personal API answers that no
cache may keep."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_https(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.usefixtures("production_https")
def test_https_answers_carry_strict_transport_security():
    response = Client().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.usefixtures("production_https")
def test_plain_http_is_redirected_except_health_checks():
    client = Client()
    response = client.get("/api/v1.0/config/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1.0/config/"
    assert client.get("/__lbheartbeat__").status_code == 200
    assert client.get("/__heartbeat__").status_code == 200


@pytest.mark.usefixtures("production_https")
def test_a_spoofed_scheme_header_is_ignored_when_no_proxy_is_trusted(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    assert Client().get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 301


def style_nonces(html: str) -> list[str]:
    """The nonces of the page's inline styles and scripts (one per answer)."""
    return re.findall(r'<(?:style|script|link)[^>]* nonce="([^"]+)"', html)


@pytest.mark.parametrize("path", ["/", "/dev/login/", "/api/v1.0/login-failure/", "/admin/login/", "/api/v1.0/swagger/"])
def test_server_rendered_pages_have_a_content_security_policy(client, settings, path):
    settings.PEOPLE_DEV_LOGIN = True
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    # Inline <style> blocks run only with this answer's nonce.
    for nonce in style_nonces(response.content.decode()):
        assert policy["style-src"] == f"'self' 'nonce-{nonce}'"
    assert "<script>" not in response.content.decode()


def test_nonces_differ_between_answers(client):
    assert style_nonces(client.get("/").content.decode()) != style_nonces(client.get("/").content.decode())


def test_swagger_ui_assets_are_served_by_people(client):
    html = client.get("/api/v1.0/swagger/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets), assets


def test_personal_api_answers_are_not_stored(client):
    user = UserFactory()
    TeamFactory(users=[user])
    client.force_login(user)
    for path in ("/api/v1.0/users/me/", "/api/v1.0/teams/", "/api/v1.0/contacts/", "/api/v1.0/users/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path


@pytest.mark.parametrize("path", ["/api/v1.0/users/me/", "/resource-server/v1.0/users/me/", "/api/v1.0/teams/"])
def test_refusals_are_not_stored_either(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/v1.0/config/", "/api/v1.0/jwks", "/resource-server/v1.0/jwks", "/api/v1.0/schema/"])
def test_public_api_answers_may_be_cached(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
