"""Production settings refuse to start on missing or malformed variables, naming them."""

import os
import subprocess
import sys

import pytest

BASE = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}
PROD = {
    **BASE,
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_ALLOWED_HOSTS": "people.example.org",
}


def load_settings(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.SESSION_COOKIE_SECURE)"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_complete_production_settings_start_with_secure_cookies():
    result = load_settings(PROD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"])
def test_missing_production_variable_is_named(missing):
    env = {key: value for key, value in PROD.items() if key != missing}
    result = load_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_malformed_variable_is_named():
    result = load_settings({**PROD, "INVITATION_VALIDITY_DAYS": "soon"})
    assert result.returncode != 0
    assert "INVITATION_VALIDITY_DAYS" in result.stderr


def test_dev_login_is_refused_in_production():
    result = load_settings({**PROD, "PEOPLE_DEV_LOGIN": "true"})
    assert result.returncode != 0
    assert "PEOPLE_DEV_LOGIN" in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("y" * 50)
    env = {key: value for key, value in PROD.items() if key != "DJANGO_SECRET_KEY"}
    result = load_settings({**env, "DJANGO_SECRET_KEY_FILE": str(secret)})
    assert result.returncode == 0, result.stderr


def _setting(env: dict, name: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print(settings.{name})"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_celery_workers_default_to_two_per_core_and_follow_the_variable():
    assert _setting(PROD, "CELERY_WORKER_CONCURRENCY") == str(min(2 * os.cpu_count(), 8))
    assert _setting({**PROD, "CELERY_WORKER_CONCURRENCY": "3"}, "CELERY_WORKER_CONCURRENCY") == "3"
    refused = load_settings({**PROD, "CELERY_WORKER_CONCURRENCY": "0"})
    assert refused.returncode != 0
    assert "CELERY_WORKER_CONCURRENCY" in refused.stderr
