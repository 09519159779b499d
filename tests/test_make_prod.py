"""`make prod`: refuses to start without PostgreSQL and Redis, saying which variable is missing
and how to set it; with them, migrates, collects the static files and runs the Procfile's web,
worker and beat processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

import pytest
import requests

from tests.browser.live import ROOT, make, make_run_env, wait_until_up
from tests.test_make_run_postgresql import DATABASE_URL, throwaway_database

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-" + "x1y2z3" * 6,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, as behind a TLS proxy
    "WEB_WORKERS": "1",
    "WEB_THREADS": "2",
    "CELERY_WORKER_CONCURRENCY": "1",
}

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def run_make_prod(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [shutil.which("make"), "--no-print-directory", "prod"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )


def environment_without(*names: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in names}
    env.update({"DATABASE_URL": "postgres://people@db.example:5432/people", "REDIS_URL": "redis://cache.example:6379/0"})
    for name in names:
        env.pop(name)
    return env


@pytest.mark.parametrize(
    "missing", [("DATABASE_URL",), ("REDIS_URL",), ("DATABASE_URL", "REDIS_URL")], ids=["database", "redis", "both"],
)
def test_without_postgresql_or_redis_make_prod_names_what_is_missing(missing):
    result = run_make_prod(environment_without(*missing))
    assert result.returncode != 0
    assert f"missing: {' '.join(missing)}\n" in result.stderr
    assert "DATABASE_URL=postgres://" in result.stderr
    assert "REDIS_URL=redis://" in result.stderr
    assert "make run" in result.stderr  # the way to the embedded mode
    assert "migrate" not in result.stdout  # nothing was started


def test_production_settings_without_secret_say_how_to_set_it(tmp_path):
    env = {**environment_without(), **PRODUCTION, "PEOPLE_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY")
    result = run_make_prod(env)
    assert result.returncode != 0
    assert "need DJANGO_SECRET_KEY to be set: export them" in result.stderr
    assert "<NAME>_FILE" in result.stderr


@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL and Redis: run with DATABASE_URL=postgres://...",
)
def test_make_prod_serves_with_hashed_static_files_a_worker_and_beat(tmp_path):
    with throwaway_database() as (database_url, _):
        # No development sign-in in production, for the static collection `make_run_env` runs first too.
        url, env, log = make_run_env(
            tmp_path, **PRODUCTION, PEOPLE_DEV_LOGIN="false", DATABASE_URL=database_url, REDIS_URL=REDIS_URL
        )
        for name in ("PEOPLE_DEV_LOGIN", "EMAIL_BACKEND"):
            env.pop(name)
        with make("prod", env, log) as process:
            wait_until_up(url, process, log)
            admin = requests.get(f"{url}/admin/login/", timeout=10)
            assert admin.status_code == 200
            css = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', admin.text)
            assert css, admin.text[:2000]  # hashed names outside DEBUG
            served = requests.get(f"{url}{css.group(1)}", headers={"Accept-Encoding": "gzip"}, timeout=10)
            assert served.status_code == 200
            assert served.headers["Content-Encoding"] == "gzip"
            assert "immutable" in served.headers["Cache-Control"]
            assert wait_for_lines(log, ("celery@", "ready."), ("beat", "Starting")), log.read_text(errors="replace")
    text = log.read_text(errors="replace")
    assert "Applying" in text  # migrated first
    assert "Traceback" not in text


def wait_for_lines(log, *wanted: tuple[str, str], seconds: float = 60) -> bool:
    """Whether, for each pair, a line of the log holds both words."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = log.read_text(errors="replace").splitlines()
        if all(any(a in line and b in line for line in lines) for a, b in wanted):
            return True
        time.sleep(0.5)
    return False
