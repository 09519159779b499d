"""Gunicorn's configuration prepares prometheus_client's multiprocess mode for its workers."""

import os
import runpy
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
CONFIG = str(ROOT / "config" / "gunicorn.py")


def test_a_directory_of_its_own_is_made_when_none_is_given(monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")  # restored after the test
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    config = runpy.run_path(CONFIG)
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    assert directory.is_dir()
    assert directory.name.startswith("people-metrics-")
    config["on_exit"](server=None)
    assert not directory.exists()


def test_a_given_directory_is_emptied_at_start_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    (tmp_path / "README").write_text("not ours")
    config = runpy.run_path(CONFIG)
    config["on_starting"](server=None)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["README"]
    config["on_exit"](server=None)
    assert tmp_path.is_dir()


def test_a_gone_workers_live_gauges_are_dropped(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "gauge_livesum_4343.db").write_bytes(b"")
    runpy.run_path(CONFIG)["child_exit"](server=None, worker=SimpleNamespace(pid=4242))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["gauge_livesum_4343.db"]
