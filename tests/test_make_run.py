"""`make run` as a person runs it: Gunicorn keeps a client's connection alive, serves the
collected static files compressed, takes parallel writes on SQLite, and each of its workers runs
the in-process outbox worker from start to a clean stop."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.browser.live import make, make_run_env, sign_in, wait_until_up, worker_pids

REQUESTS = 100
ROUNDS = 3
PARALLEL = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url, env, log = make_run_env(tmp_path_factory.mktemp("make-run"))
    with make("run", env, log) as process:
        wait_until_up(url, process, log)
        yield url, log


def best_of(rounds: int, run: Callable[[], None]) -> float:
    """The fastest of several rounds: the least disturbed by other work on the machine."""
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def test_a_kept_alive_connection_is_served_at_in_process_speed(server, client):
    url, _ = server
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)
    connection.connect()
    socket = connection.sock
    statuses, reused = [], []

    def over_http():
        for _ in range(REQUESTS):
            connection.request("GET", "/__lbheartbeat__")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            reused.append(connection.sock is socket and not response.will_close)

    def in_process():
        for _ in range(REQUESTS):
            assert client.get("/__lbheartbeat__").status_code == 200

    over_http()  # warm-up: every worker thread has imported what it serves
    in_process()
    http_seconds = best_of(ROUNDS, over_http)
    process_seconds = best_of(ROUNDS, in_process)
    connection.close()
    assert statuses == [200] * REQUESTS * (ROUNDS + 1)
    assert all(reused)  # one connection, never closed by the server
    print(f"{REQUESTS} requests: {http_seconds * 1000:.1f} ms kept alive, {process_seconds * 1000:.1f} ms in process")
    assert http_seconds < 5 * process_seconds, (http_seconds, process_seconds)


def test_static_files_are_served_compressed_from_the_collected_copies(server):
    url, _ = server
    path = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"
    compressed = requests.get(f"{url}{path}", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert compressed.status_code == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert compressed.headers["Server"] == "gunicorn"
    plain = requests.get(f"{url}{path}", headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers
    assert int(compressed.raw.headers["Content-Length"]) < len(plain.content) / 3
    assert plain.text == compressed.text


def test_swagger_ui_page_links_assets_that_load(server):
    url, _ = server
    page = requests.get(f"{url}/api/v1.0/swagger/", timeout=10)
    assert page.status_code == 200
    assets = [part.split('"')[0] for part in page.text.split('src="')[1:] if part.startswith("/static/")]
    assert assets, page.text[:1000]
    for asset in assets:
        assert requests.get(f"{url}{asset}", timeout=10).status_code == 200, asset


def test_parallel_writes_on_sqlite_all_succeed(server):
    url, log = server
    session = sign_in(url)

    def create(index: int) -> int:
        # Each request on its own connection, as parallel clients would.
        with requests.Session() as own:
            own.cookies.update(session.cookies)
            own.headers.update(session.headers)
            return own.post(f"{url}/api/v1.0/teams/", json={"name": f"Parallel {index}"}, timeout=60).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(create, range(PARALLEL)))
    assert statuses == [201] * PARALLEL
    names = {team["name"] for team in session.get(f"{url}/api/v1.0/teams/", timeout=10).json()}
    assert {f"Parallel {index}" for index in range(PARALLEL)} <= names
    assert "database is locked" not in log.read_text(errors="replace")


def test_each_worker_runs_the_outbox_worker_and_stops_it_cleanly(tmp_path):
    url, env, log = make_run_env(tmp_path, WEB_WORKERS="2")
    with make("run", env, log) as process:
        wait_until_up(url, process, log)
        assert wait_for(lambda: len(worker_pids(log)) == 2)
        pids = worker_pids(log)
        started = [f"outbox worker started in worker {pid}" for pid in pids]
        assert wait_for(lambda: all(line in log.read_text(errors="replace") for line in started)), log.read_text()
        session = sign_in(url)
        team = session.post(f"{url}/api/v1.0/teams/", json={"name": "Outbox"}, timeout=10).json()
        invitations = []
        for index in range(4):
            with requests.Session() as own:  # new connections: spread over the workers
                own.cookies.update(session.cookies)
                own.headers.update(session.headers)
                invited = own.post(
                    f"{url}/api/v1.0/teams/{team['id']}/invitations/",
                    json={"email": f"guest{index}@example.gouv.fr"}, timeout=10,
                )
                assert invited.status_code == 201, invited.text
                invitations.append(invited.json()["id"])
        statuses = lambda: outbox_statuses(tmp_path / "data", invitations)  # noqa: E731
        assert wait_for(lambda: statuses() == ["delivered"] * 4), statuses()

        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert all(f"outbox worker stopped in worker {pid}" in text for pid in pids), text
    assert "Traceback" not in text


def outbox_statuses(data_dir, invitation_ids: list[str]) -> list[str]:
    """The delivery state of each invitation's e-mail, read from the server's database."""
    with sqlite3.connect(data_dir / "people.sqlite3") as database:
        rows = database.execute("SELECT payload, status FROM core_outboxmessage WHERE kind = 'teams.invitation_email'")
        by_invitation = {json.loads(payload)["invitation_id"]: status for payload, status in rows}
    return [by_invitation.get(invitation_id, "missing") for invitation_id in invitation_ids]


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
