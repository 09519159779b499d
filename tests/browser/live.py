"""A real People server for end-to-end tests: migrate, load the demo set, serve, stop.

The server runs as `make run` does (Gunicorn with config/gunicorn.py, collected static files,
SQLite in its own data directory, in-process jobs, development sign-in on), in a child process
on a free loopback port. `make(...)` runs a Makefile target itself, for the tests of `make run`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90
# Collected once for every test server (`manage.py static` skips unchanged sources and takes a
# lock, so parallel test workers share it): compressing takes long on a loaded machine.
STATIC_ROOT = ROOT / ".cache" / "static"
# Two workers of 4 threads: several processes, as in production, on a shared test machine.
WEB_WORKERS = "2"


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND"}
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "PEOPLE_DEV_LOGIN": "true",
        "PEOPLE_JOBS_MODE": "thread",
        "PEOPLE_DATA_DIR": str(data_dir),
        "PEOPLE_STATIC_ROOT": str(STATIC_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


@contextmanager
def people_server(
    data_dir: Path,
    *,
    demo_args: tuple[str, ...] = ("--users", "8", "--teams", "4"),
    extra_env: dict[str, str] | None = None,
) -> Iterator[LiveServer]:
    """`extra_env`: more settings for the server (e.g. the address of a fake peer)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**server_env(data_dir), **(extra_env or {})}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "demo", "-v0", *demo_args)
    manage(env, "static")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
            cwd=ROOT, env={**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": WEB_WORKERS},
            stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, process, log)
        yield LiveServer(url=url, data_dir=data_dir, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            if requests.get(f"{url}/__lbheartbeat__", timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or listening while its workers still load
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT}s:\n{log.read_text(errors='replace')}")


@contextmanager
def make(target: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`make TARGET` in its own process group, stopped with everything it started."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            [shutil.which("make"), "--no-print-directory", target],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def sign_in(url: str, email: str = "demo@example.com") -> requests.Session:
    """A session signed in through the development sign-in, sending its CSRF token."""
    session = requests.Session()
    form = session.get(f"{url}/dev/login/", timeout=10)
    form.raise_for_status()
    response = session.post(
        f"{url}/dev/login/", data={"email": email, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False, timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def worker_pids(log: Path) -> list[str]:
    """The Gunicorn workers the log says were booted."""
    return re.findall(r"Booting worker with pid: (\d+)", log.read_text(errors="replace"))


def make_run_env(tmp_path: Path, **extra: str) -> tuple[str, dict[str, str], Path]:
    """What `make run` needs on a free port with its own data folder: (URL, environment, log)."""
    port = free_port()
    env = {**server_env(tmp_path / "data"), "HOST": "127.0.0.1", "PORT": str(port), **extra}
    # Production settings refuse the development sign-in (callers drop it before `make prod`).
    production = env.get("DJANGO_DEBUG") == "false"
    manage({key: value for key, value in env.items() if not (production and key == "PEOPLE_DEV_LOGIN")}, "static")  # done before, so that the wait for `make run` holds no collection
    env.pop("PEOPLE_JOBS_MODE")  # `make run` chooses it
    return f"http://127.0.0.1:{port}", env, tmp_path / "run.log"
