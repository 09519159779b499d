"""The production stack on one machine: a throwaway PostgreSQL database, a Redis database, web
and worker processes started from the Procfile as `make prod` starts them, and a counting SMTP
peer.

Every process runs in its own session (process group), so that a worker can be killed whole
(its prefork children with it) and everything stops at teardown, whatever the test did.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests

from tests.browser.live import ROOT, free_port
from tests.waiting import wait_for

START_TIMEOUT = 90
# The Redis database of these runs: flushed at the start and the end of a run, so not the one
# of a developer's `make prod`. SCALE_REDIS_URL picks another.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
RUN_LOCK_KEY = "people-scale-run"


def procfile_command(process_type: str) -> str:
    """The command line of `process_type` in the Procfile, as honcho reads it."""
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() == process_type and not line.lstrip().startswith("#"):
            return command.strip()
    raise LookupError(f"no {process_type!r} process in the Procfile")


# --- PostgreSQL and Redis --------------------------------------------------------------------


def postgres_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


class ThrowawayDatabase:
    """A database of its own for a run: the processes share it, as production shares one."""

    def __init__(self, base_url: str) -> None:
        self.name = f"people_scale_{os.getpid()}"
        self.url = postgres_url(base_url, self.name)
        self._admin_url = postgres_url(base_url, "postgres")

    def _admin(self, statement: str) -> None:
        with psycopg.connect(self._admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def create(self) -> None:
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()


class RedisDatabase:
    """One Redis database for the run's cache, throttle counters and Celery queue."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url)

    def acquire(self) -> None:
        self.client.ping()
        if not self.client.set(RUN_LOCK_KEY, os.getpid(), nx=True, ex=900):
            raise RuntimeError(f"another scale run uses {self.url} (key {RUN_LOCK_KEY}); set SCALE_REDIS_URL")
        self.client.flushdb()
        self.client.set(RUN_LOCK_KEY, os.getpid(), ex=900)

    def release(self) -> None:
        if self.client.get(RUN_LOCK_KEY) == str(os.getpid()).encode():
            self.client.flushdb()


# --- the counting SMTP peer ------------------------------------------------------------------


# --- processes -------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM to the whole group (warm shutdown), SIGKILL if it lingers."""
        self.signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=timeout)
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


class Stack:
    """Processes of the run, stopped in reverse order of start."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.processes: list[Process] = []

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout, check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell_json(self, code: str) -> dict:
        """Run `code` in `manage.py shell`; it prints one JSON object on its last line."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def start(self, process_type: str, name: str, **extra_env: str) -> Process:
        """Start the Procfile's `process_type` line through the shell, as honcho does."""
        command = procfile_command(process_type)
        log = self.workdir / f"{name}.log"
        with log.open("wb") as output:
            popen = subprocess.Popen(  # noqa: S603
                ["/bin/sh", "-c", f"exec {command}"],
                cwd=ROOT,
                env={**self.env, **extra_env},
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_web(self, name: str) -> str:
        port = free_port()
        process = self.start("web", name, PORT=str(port), HOST="127.0.0.1")
        url = f"http://127.0.0.1:{port}"

        def up() -> bool:
            if not process.alive():
                raise RuntimeError(f"{name} exited:\n{process.output()}")
            try:
                return requests.get(f"{url}/__lbheartbeat__", timeout=5).status_code == 200
            except requests.RequestException:  # not listening yet, or still loading
                return False

        wait_for(up, timeout=START_TIMEOUT, what=f"{name} answering")
        return url

    def start_worker(self, name: str) -> Process:
        process = self.start("worker", name)

        def ready() -> bool:
            if not process.alive():
                raise RuntimeError(f"{name} exited:\n{process.output()}")
            return " ready." in process.output()

        wait_for(ready, timeout=START_TIMEOUT, what=f"{name} ready")
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def process_env(*, workdir: Path, database_url: str, redis_url: str, smtp_port: int, extra: dict[str, str]) -> dict[str, str]:
    """Production settings (DJANGO_DEBUG=false) over plain HTTP on loopback."""
    kept = {"HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}
    env = {name: value for name, value in os.environ.items() if name in kept}
    env.update({
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PEOPLE_JOBS_MODE": "celery",
        "PEOPLE_DATA_DIR": str(workdir),
        "PEOPLE_LOG_LEVEL": "WARNING",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "WEB_WORKERS": "1",
        "WEB_THREADS": "4",
        "CELERY_WORKER_CONCURRENCY": "2",
    })
    env.update(extra)
    return env
