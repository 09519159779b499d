"""The reference SCIM server (`scim2-server`, PyPI) run on loopback, as a service of the suite
that team webhooks push to.

It is a real process: `stop()` freezes it (SIGSTOP: it answers nothing, requests time out, and
it keeps its groups), `start()` lets it run again (SIGCONT), `kill()` ends it and `restart()`
starts a new one on the same port, with no groups (a service whose storage was reset). Its
state is read over HTTP, with the token People sends.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.peers.oidc.fixtures import free_port

TOKEN = "scim-peer-token"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("scim2-server")
    found = str(script) if script.exists() else shutil.which("scim2-server")
    if found is None:
        pytest.skip("scim2-server is not installed (make install)")
    return [found]


class ScimServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v2"

    def run(self) -> ScimServer:
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [*_command(), "--hostname", "127.0.0.1", "--port", str(self.port), "--bearer-token", TOKEN],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/ServiceProviderConfig", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("scim2-server exited at start")
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("scim2-server did not answer within 20 seconds")

    def stop(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def start(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        self.kill()
        self.run()

    # --- what tests read ------------------------------------------------------------------

    def _get(self, path: str, **params) -> requests.Response:
        return requests.get(
            f"{self.url}{path}", params=params, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        )

    def groups(self) -> list[dict]:
        return self._get("/Groups").json().get("Resources", [])

    def group(self, remote_id: str) -> dict | None:
        response = self._get(f"/Groups/{quote(remote_id, safe='')}")
        return response.json() if response.status_code == 200 else None

    def member_values(self, remote_id: str) -> set[str]:
        group = self.group(remote_id) or {}
        return {member["value"] for member in group.get("members") or []}


@pytest.fixture
def scim_server(settings):
    """A running scim2-server, People's webhook timeouts short enough for a stopped one."""
    settings.TEAM_WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.TEAM_WEBHOOK_TIMEOUT = 1.0
    server = ScimServer().run()
    try:
        yield server
    finally:
        server.kill()
