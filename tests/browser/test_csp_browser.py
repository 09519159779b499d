"""In a real browser: the server-rendered pages (home, development sign-in, sign-in failure,
lockout, admin, Swagger UI) work under People's Content-Security-Policy, and Chromium reports
no violation of it. Repeated wrong admin passwords end on the lockout page."""

from __future__ import annotations

import pytest

from tests.browser.browser import CHROMIUM, SCREENSHOTS, page, page_factory  # noqa: F401
from tests.browser.live import manage, people_server, server_env

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")

OPERATOR = "operator@example.org"
PASSWORD = "a-long-enough-password-42"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("csp")) as live:
        env = {**server_env(live.data_dir), "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
        manage(env, "createsuperuser", "--noinput", "--email", OPERATOR)
        yield live


@pytest.fixture
def violations(page):  # noqa: F811
    """Chromium's console reports of blocked scripts, styles, images or connections."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None)
    return found


def admin_sign_in(page, server, password):  # noqa: F811
    page.goto(f"{server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", OPERATOR)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_home_dev_login_and_failure_pages(server, page, violations):  # noqa: F811
    for path in ("/", "/dev/login/", "/api/v1.0/login-failure/?error=access_denied"):
        page.goto(f"{server.url}{path}")
        # The inline styles applied: the body is not the browser's default 8px margin.
        assert page.evaluate("getComputedStyle(document.body).marginTop") != "8px", path
    assert violations == []


def test_admin_works(server, page, violations):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    admin_sign_in(page, server, PASSWORD)
    page.wait_for_selector("#site-name")
    page.goto(f"{server.url}/admin/identity/user/")
    page.wait_for_selector("#result_list")
    page.click("#result_list tbody tr th a")
    page.wait_for_selector("#user_form, form[method=post]")
    # The admin's own scripts ran (the theme toggle and the actions are script-driven).
    assert page.evaluate("typeof window.django") == "object"
    page.screenshot(path=str(SCREENSHOTS / "admin-user.png"))
    assert violations == []


def test_swagger_ui_renders_the_operations(server, page, violations):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server.url}/api/v1.0/swagger/")
    page.wait_for_selector(".opblock-tag-section")
    assert page.locator(".opblock").count() > 10
    page.screenshot(path=str(SCREENSHOTS / "swagger.png"))
    assert violations == []


def test_wrong_passwords_end_on_the_lockout_page(server, page, violations):  # noqa: F811
    # The assertions read the English page (French by default): the language switch's cookie.
    page.context.add_cookies([{"name": "django_language", "value": "en-us", "url": server.url}])
    for _ in range(4):
        admin_sign_in(page, server, "wrong password")
        page.wait_for_selector(".errornote")
    # The fifth failure locks: its answer is already the lockout page, and so is the next one.
    admin_sign_in(page, server, "wrong password")
    page.wait_for_selector("#retry")
    admin_sign_in(page, server, PASSWORD)
    retry = page.wait_for_selector("#retry")
    assert "Try again in 15" in retry.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "lockout.png"))
    assert violations == []
