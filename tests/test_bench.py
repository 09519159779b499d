"""`make bench` at a tiny size: it loads, measures every endpoint in process and over HTTP, and
writes its table and JSON; at a larger scale it compares each p95 with the 1x run. The figures
themselves are not checked (they are measurements of a shared machine), their presence is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.browser.live import ROOT

TINY = {"BENCH_USERS": "300", "BENCH_TEAMS": "30", "BENCH_ORGANIZATIONS": "3", "BENCH_CONTACTS": "60"}
ENDPOINTS = {"users/me", "users?q=mar", "teams", "team", "accesses", "POST team", "contacts?q=mar", "jwks", "rs users/me",
             "page: home", "page: teams", "page: team of 200"}

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="the bench starts a Redis of its own")


def bench(results, **extra: str) -> tuple[str, dict]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    output = results / f"run-{len(list(results.glob('*.json')))}.json"
    env.update(TINY, BENCH_RESULTS=str(results), BENCH_OUTPUT=str(output), **extra)
    run = subprocess.run(  # noqa: S603
        [shutil.which("make"), "--no-print-directory", "bench"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout, json.loads(output.read_text())


def test_one_table_in_process_and_over_http_then_the_growth_at_a_larger_scale(tmp_path):
    out, first = bench(tmp_path, BENCH_HTTP_SECONDS="4", BENCH_HTTP_ROUNDS="2", BENCH_WEB_WORKERS="2", BENCH_HTTP_USERS="4")
    assert (first["shape"]["users"], first["shape"]["scale"]) == (300, 1)
    rows = {row["endpoint"]: row for row in first["in_process"]}
    assert set(rows) == ENDPOINTS
    assert all(row["p95_ms"] >= row["p50_ms"] > 0 for row in rows.values())
    assert rows["jwks"]["queries"] == 0
    assert rows["teams"]["queries"] >= 1
    http = {row["endpoint"]: row for row in first["http"]}
    assert set(http) == {"config", "users/me", "rs users/me"}
    assert all(row["requests_per_s"] > 0 and row["failures"] == 0 for row in http.values())
    # The endpoints take turns: each measured in two turns, its figure their mean.
    assert all(len(row["turns_requests_per_s"]) == 2 for row in http.values())
    assert all(abs(row["requests_per_s"] - sum(row["turns_requests_per_s"]) / 2) <= 0.1 for row in http.values())
    for label in ENDPOINTS | {"config"}:
        assert f"| {label} |" in out
    assert first["growth"] == []

    out, second = bench(tmp_path, BENCH_SCALE="2", BENCH_HTTP="0")
    assert (second["shape"]["users"], second["http"]) == (600, [])
    growth = {row["endpoint"]: row for row in second["growth"]}
    assert set(growth) == ENDPOINTS
    assert all(row["p95_1x_ms"] == rows[name]["p95_ms"] and row["growth"] > 0 for name, row in growth.items())
    assert "Growth of p95 from 1x" in out


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the production-settings bench runs on PostgreSQL"
)
def test_with_a_database_the_bench_runs_with_production_settings_pages_included(tmp_path):
    """`BENCH_DATABASE_URL`: production settings (DEBUG off), whose pages need the collected
    static files (a fresh checkout has none)."""
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"bench_test_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _out, result = bench(tmp_path, BENCH_DATABASE_URL=f"{base}/{name}", BENCH_HTTP="0")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result["debug"] is False
    assert result["database"].startswith("PostgreSQL")
    assert {row["endpoint"] for row in result["in_process"]} == ENDPOINTS
