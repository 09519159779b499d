"""The embedded mode against the test provider, as the README tells a developer to run it:
`make run-idp` in one terminal, then `make run` with the variables it prints. Proves that
`make run` hands the OIDC_* variables of the environment to the server it starts."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.browser.live import ROOT, free_port, make, server_env, wait_until_up
from tests.peers.oidc import login as headless
from tests.peers.oidc.fixtures import DEFAULT_ACCOUNTS, SIRET, node_path

pytestmark = [pytest.mark.peer]

START_TIMEOUT = 120


def printed_variables(log: Path, process: subprocess.Popen) -> dict[str, str]:
    """The `NAME=value` words of the command `make run-idp` prints for People."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "listening on" in text and "make run" in text:
            command = text.split("serve People against it:", 1)[1].split("make run", 1)[0]
            words = shlex.split(command.replace("\\\n", " "))
            return dict(word.split("=", 1) for word in words)
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"make run-idp did not start:\n{log.read_text(errors='replace')}")


@pytest.fixture
def environment(tmp_path) -> dict[str, str]:
    if node_path() is None:
        pytest.skip("node is not installed: the tests against the real OpenID provider are skipped")
    if shutil.which("make") is None:
        pytest.skip("make is not installed: `make run` cannot be tested")
    env = {
        name: value
        for name, value in server_env(tmp_path / "data").items()
        if not name.startswith("OIDC_")
    }
    env.pop("PEOPLE_DEV_LOGIN")  # the printed command sets it
    return env


def test_make_run_signs_in_through_make_run_idp(environment, tmp_path, request):
    people = f"http://127.0.0.1:{free_port()}"
    idp_env = {**environment, "IDP_PORT": str(free_port()), "IDP_RP_URL": people}
    request.addfinalizer(
        lambda: (ROOT / "var" / f"oidc-provider-{idp_env['IDP_PORT']}.json").unlink(missing_ok=True)
    )
    with make("run-idp", idp_env, tmp_path / "idp.log") as idp:
        variables = printed_variables(tmp_path / "idp.log", idp)
        assert variables["OIDC_OP_URL"] == f"http://127.0.0.1:{idp_env['IDP_PORT']}"
        run_env = {
            **environment,
            **variables,
            "HOST": "127.0.0.1",
            "PORT": people.rsplit(":", 1)[1],
        }
        with make("run", run_env, tmp_path / "run.log") as server:
            wait_until_up(people, server, tmp_path / "run.log")
            with requests.Session() as http:
                # The development sign-in is off, as printed: only the provider signs people in.
                assert http.get(f"{people}/dev/login/", timeout=10).status_code == 404
                callback = headless.complete_login(
                    http,
                    f"{people}/api/v1.0/authenticate/",
                    login="alice",
                    stop_prefix=f"{people}/api/v1.0/callback/",
                )
                assert (
                    http.get(callback, allow_redirects=False, timeout=10).headers["Location"] == "/"
                )
                me = http.get(f"{people}/api/v1.0/users/me/", timeout=10).json()
                alice = DEFAULT_ACCOUNTS["alice"]
                assert me["email"] == alice["email"]
                assert me["name"] == f"{alice['given_name']} {alice['usual_name']}"
                assert me["organization"]["registration_id_list"] == [SIRET]

                end_session = http.get(
                    f"{people}/api/v1.0/logout/", allow_redirects=False, timeout=10
                )
                assert end_session.headers["Location"].startswith(variables["OIDC_OP_URL"])
                back = headless.complete_logout(
                    http,
                    end_session.headers["Location"],
                    stop_prefix=f"{people}/api/v1.0/logout-callback/",
                )
                assert http.get(back, allow_redirects=False, timeout=10).headers["Location"] == "/"
                assert http.get(f"{people}/api/v1.0/users/me/", timeout=10).status_code == 401
    assert (tmp_path / "data" / "people.sqlite3").is_file()
