"""`make run` on PostgreSQL (DATABASE_URL set): 30 parallel requests are all answered, and the
server holds no more database connections than it has threads to serve them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import requests

from tests.browser.live import make, make_run_env, sign_in, wait_until_up

DATABASE_URL = os.environ.get("DATABASE_URL", "")
WORKERS, THREADS = 2, 4
PARALLEL = 30

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://...",
)


@contextmanager
def throwaway_database() -> Iterator[tuple[str, str]]:
    """A new database on the suite's PostgreSQL server, dropped afterwards: (its URL, its name)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    server = make_conninfo(DATABASE_URL, dbname="postgres")
    name = f"people_make_run_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        params = conninfo_to_dict(DATABASE_URL)
        user = params.get("user", "postgres") + (f":{params['password']}" if params.get("password") else "")
        yield f"postgres://{user}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{name}", name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connections_to(name: str) -> int:
    import psycopg
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(make_conninfo(DATABASE_URL, dbname="postgres")) as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]).fetchone()[0]


def test_parallel_requests_get_answers_within_a_bounded_number_of_connections(tmp_path):
    with throwaway_database() as (url_of_database, name):
        url, env, log = make_run_env(
            tmp_path, DATABASE_URL=url_of_database, WEB_WORKERS=str(WORKERS), WEB_THREADS=str(THREADS),
            # One user sends every request: the per-user throttle is not what this test measures.
            THROTTLE_USER_BURST="1000/minute", THROTTLE_USER_SUSTAINED="10000/hour",
        )
        with make("run", env, log) as process:
            wait_until_up(url, process, log)
            session = sign_in(url)

            def call(index: int, burst: int) -> int:
                with requests.Session() as own:  # a connection each, as parallel clients
                    own.cookies.update(session.cookies)
                    own.headers.update(session.headers)
                    if index % 2:
                        return own.get(f"{url}/api/v1.0/users/me/", timeout=60).status_code
                    return own.post(f"{url}/api/v1.0/teams/", json={"name": f"Parallel {burst}.{index}"}, timeout=60).status_code

            for burst in range(2):  # the second burst reuses the kept connections
                with ThreadPoolExecutor(PARALLEL) as pool:
                    statuses = list(pool.map(call, range(PARALLEL), [burst] * PARALLEL))
                assert statuses == [201 if index % 2 == 0 else 200 for index in range(PARALLEL)]
            # One per serving thread and one per in-process outbox worker, at most.
            assert 0 < connections_to(name) <= WORKERS * (THREADS + 1)
        assert "too many clients" not in log.read_text(errors="replace")
