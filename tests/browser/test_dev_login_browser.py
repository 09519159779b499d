"""In a real browser (Debian's headless Chromium, driven by Playwright): sign in through
/dev/login/, see the home page.

Screenshots are kept under var/browser/ to look at what a person sees.
"""

from __future__ import annotations

import pytest

from tests.browser.browser import SCREENSHOTS, page_factory  # noqa: F401
from tests.browser.live import people_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("browser")) as live:
        yield live


def test_sign_in_as_demo_user_shows_the_home_page(server, page_factory):  # noqa: F811
    page = page_factory(locale="en-US")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server.url}/")
    assert page.locator("#signed-out").count() == 1

    page.goto(f"{server.url}/dev/login/")
    assert "Development sign-in" in page.title()
    page.screenshot(path=str(SCREENSHOTS / "dev-login.png"))
    page.click('button[data-email="demo@example.com"]')

    signed_in = page.wait_for_selector("#signed-in")
    assert page.url == f"{server.url}/"
    assert "Demo User" in signed_in.inner_text()
    assert "Demo organization" in signed_in.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "home.png"))

    # The session is the API's too.
    page.goto(f"{server.url}/api/v1.0/users/me/")
    assert '"email":"demo@example.com"' in page.inner_text("body").replace(" ", "")

    page.goto(f"{server.url}/")
    page.click("form button[type=submit]")
    page.wait_for_selector("#signed-out")


def test_unknown_email_is_refused_in_the_form(server, page_factory):  # noqa: F811
    page = page_factory(locale="en-US")
    page.goto(f"{server.url}/dev/login/")
    page.fill("#id_email", "nobody@example.com")
    page.click("#email-form button")
    error = page.wait_for_selector("[role=alert]")
    assert "No active user" in error.inner_text()
    page.goto(f"{server.url}/")
    assert page.locator("#signed-out").count() == 1
