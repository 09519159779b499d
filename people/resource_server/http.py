"""One pooled HTTP session per process for calls to the provider (keep-alive matters here)."""

from __future__ import annotations

import threading

import requests

_local = threading.local()


def session() -> requests.Session:
    """A session per thread: `requests.Session` is not documented as thread-safe."""
    current = getattr(_local, "session", None)
    if current is None:
        current = requests.Session()
        current.headers["User-Agent"] = "people-resource-server"
        _local.session = current
    return current
