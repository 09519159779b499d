"""Actions started at the same instant, each in its own thread and database connection.

For the PostgreSQL tests of what row locks guarantee (`django_db(transaction=True)`: each
thread's connection sees only committed data, as concurrent requests would).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from people.core.errors import DomainError

# The marks of such a test module: committed data, real row locks, PostgreSQL only.
concurrent_postgresql = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real row locks and concurrent connections: run with DATABASE_URL=postgres://...",
    ),
]


def run_together(actions: list[Callable[[], Any]], *, timeout: float = 60) -> list[str]:
    """Each action's outcome: "ok", the code of the domain error it raised, or the error."""
    barrier = threading.Barrier(len(actions))
    outcomes = ["did not finish"] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            action()
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertion
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes
