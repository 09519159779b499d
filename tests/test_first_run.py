"""First run as an operator does it: migrate, demo, serve, sign in through /dev/login/, use the API."""

import re

import pytest
import requests

from tests.browser.live import people_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("first-run")) as live:
        yield live


def test_health_checks(server):
    assert requests.get(f"{server.url}/__lbheartbeat__", timeout=5).status_code == 200
    health = requests.get(f"{server.url}/__heartbeat__", timeout=5)
    assert health.json()["status"] == "ok"
    assert (server.data_dir / "people.sqlite3").exists()


def test_sign_in_through_dev_login_and_call_the_api(server):
    session = requests.Session()
    assert session.get(f"{server.url}/api/v1.0/users/me/", timeout=5).status_code == 401
    form = session.get(f"{server.url}/dev/login/", timeout=5)
    assert form.status_code == 200
    assert "demo@example.com" in form.text
    token = session.cookies["csrftoken"]
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', form.text)
    response = session.post(
        f"{server.url}/dev/login/", data={"email": "demo@example.com", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{server.url}/dev/login/"}, allow_redirects=False, timeout=5,
    )
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"] == "/"
    me = session.get(f"{server.url}/api/v1.0/users/me/", timeout=5)
    assert me.status_code == 200
    assert me.json()["email"] == "demo@example.com"
    assert me.json()["name"] == "Demo User"
    assert "Demo User" in session.get(f"{server.url}/", timeout=5).text


def test_post_without_csrf_is_refused(server):
    session = requests.Session()
    response = session.post(f"{server.url}/dev/login/", data={"email": "demo@example.com"}, timeout=5)
    assert response.status_code == 403
    assert session.get(f"{server.url}/api/v1.0/users/me/", timeout=5).status_code == 401
