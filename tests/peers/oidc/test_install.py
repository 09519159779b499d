"""Installing the provider's npm packages when several test processes start at once."""

from __future__ import annotations

import threading
import time

from tests.peers.oidc import fixtures


def test_processes_asking_at_once_install_once(tmp_path, monkeypatch):
    cache = tmp_path / "oidc"
    monkeypatch.setattr(fixtures, "CACHE_DIR", cache)
    installs: list[int] = []

    def fake_npm_ci():
        installs.append(threading.get_ident())
        time.sleep(0.2)  # long enough for the other caller to arrive while this one installs
        (cache / "node_modules" / "oidc-provider").mkdir(parents=True)
        (cache / "node_modules" / "oidc-provider" / "package.json").write_text("{}")
        (cache / "package-lock.json").write_bytes((fixtures.PEER_DIR / "package-lock.json").read_bytes())
        return cache / "node_modules"

    monkeypatch.setattr(fixtures, "_npm_ci", fake_npm_ci)
    results: list = []
    callers = [threading.Thread(target=lambda: results.append(fixtures.ensure_node_modules())) for _ in range(2)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(10)

    assert len(installs) == 1
    assert results == [cache / "node_modules"] * 2
