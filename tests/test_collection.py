"""Test ids are the same in every process that collects the suite.

`pytest -n` has each worker collect the suite and refuses to run when two collections differ,
and `pytest 'path::test[id]'` re-runs a failing case only if its id is collected again. A
parametrize value drawn at import time (uuid4, a clock, an unordered set iterated under another
hash seed) breaks both; this test collects the suite again in a fresh process, with another
hash seed, and names every test of this run that the fresh collection does not have.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh_collection() -> set[str]:
    seed = "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST_XDIST", "PYTEST_CURRENT_TEST"))
    }
    env["PYTHONHASHSEED"] = seed
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "--collect-only", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"collecting the suite failed:\n{result.stdout}\n{result.stderr}"
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_a_fresh_process_collects_the_same_test_ids(request):
    ours = {item.nodeid for item in request.session.items}
    missing = sorted(ours - fresh_collection())
    assert not missing, (
        "these test ids change from one collection to the next (a parametrize value or id built "
        "from uuid4, the clock or an unordered set?); give them fixed values or explicit ids=:\n"
        + "\n".join(missing)
    )
