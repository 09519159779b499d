"""HTTPS, API documentation and lockout settings: production defaults, development defaults,
operator overrides, refusals that name the variable, and a clean `check --deploy`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from people.core.tests.test_settings import BASE, PROD

ROOT = Path(__file__).resolve().parents[3]
PROD = {**PROD, "DJANGO_SECRET_KEY": "k3Y-for-the-deploy-check_" + "a1b2c3d4e5f6g7h8i9j0" * 2}
DEV = {**BASE, "DJANGO_DEBUG": "true"}
SHOWN = (
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER", "API_DOCS", "AXES_FAILURE_LIMIT", "AXES_LOCKOUT_PARAMETERS", "CLIENT_IP_HEADER",
    "CLIENT_IP_PROXIES",
)
SCRIPT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    f"print(json.dumps({{name: getattr(s, name) for name in {SHOWN!r}}} | "
    "{'AXES_COOLOFF_SECONDS': s.AXES_COOLOFF_TIME.total_seconds()}))"
)


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )


def settings_of(env: dict) -> dict:
    result = run(env, "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


PRODUCTION_DEFAULTS = {
    "SECURE_HSTS_SECONDS": 31_536_000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": False,
    "SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"], "API_DOCS": False,
    "AXES_FAILURE_LIMIT": 5, "AXES_COOLOFF_SECONDS": 900, "AXES_LOCKOUT_PARAMETERS": ["username", "ip_address"],
    "CLIENT_IP_HEADER": None, "CLIENT_IP_PROXIES": 1,
}


def test_production_defaults():
    assert settings_of(PROD) == PRODUCTION_DEFAULTS


def test_development_defaults_force_no_https_and_publish_the_docs():
    assert settings_of(DEV) == {
        **PRODUCTION_DEFAULTS, "SECURE_HSTS_SECONDS": 0, "SECURE_SSL_REDIRECT": False, "API_DOCS": True,
    }


def test_operator_overrides():
    values = settings_of({
        **PROD,
        "DJANGO_SECURE_HSTS_SECONDS": "600", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
        "DJANGO_SECURE_HSTS_PRELOAD": "true", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Scheme=https", "PEOPLE_API_DOCS": "true",
        "AXES_FAILURE_LIMIT": "10", "AXES_COOLOFF_SECONDS": "60", "AXES_LOCKOUT_PARAMETERS": "username+ip_address",
        "PEOPLE_CLIENT_IP_HEADER": "X-Forwarded-For", "PEOPLE_CLIENT_IP_PROXIES": "2",
    })
    assert values == {
        "SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": False, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_SCHEME", "https"], "API_DOCS": True,
        "AXES_FAILURE_LIMIT": 10, "AXES_COOLOFF_SECONDS": 60, "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR", "CLIENT_IP_PROXIES": 2,
    }


def test_no_trusted_proxy_header():
    assert settings_of({**PROD, "DJANGO_SECURE_PROXY_SSL_HEADER": ""})["SECURE_PROXY_SSL_HEADER"] is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AXES_LOCKOUT_PARAMETERS", "username+password"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("AXES_COOLOFF_SECONDS", "soon"),
        ("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"),
        ("PEOPLE_CLIENT_IP_HEADER", "X Forwarded For"),
        ("DJANGO_SECURE_HSTS_SECONDS", "-1"),
    ],
)
def test_malformed_values_are_named(name, value):
    result = run({**PROD, name: value}, "-c", "import django; django.setup()")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_deploy_check_is_clean_in_production():
    result = run(PROD, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
