"""The web interface's foundation in a real browser: sign-in, home and error pages are
accessible (axe-core finds no violation) in French and in English, signed out and signed in;
the language switch changes the interface (and a signed-in agent's `language`); the skip link
and the visible focus work with the keyboard. Screenshots: `make screenshots`."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation
from playwright.sync_api import expect

from people.core.web.errors import error_page
from tests.browser.axe import assert_accessible
from tests.browser.browser import dev_sign_in, page_factory, screenshot  # noqa: F401
from tests.browser.live import people_server

LOCALES = {"fr": "fr-FR", "en": "en-US"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("web")) as live:
        yield live


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


@pytest.mark.parametrize("lang", LOCALES)
def test_signed_out_pages(server, page_factory, lang):  # noqa: F811
    page = page_factory(locale=LOCALES[lang])
    page.goto(f"{server.url}/")
    assert html_lang(page) == lang
    assert page.locator("a#proconnect").is_visible()
    assert page.locator("a#proconnect").get_attribute("href") == "/api/v1.0/authenticate/"
    # The ProConnect logo is served by People (the CSS of the page), never from elsewhere.
    logo = page.evaluate("getComputedStyle(document.querySelector('#proconnect'), '::before').backgroundImage")
    assert logo.startswith(f'url("{server.url}/static/')
    assert "proconnect" in logo
    assert_accessible(page)
    screenshot(page, f"sign-in-{lang}")

    page.goto(f"{server.url}/no/such/page/")
    assert page.locator("#error-page h1").is_visible()
    assert_accessible(page)
    screenshot(page, f"error-404-{lang}")


@pytest.mark.parametrize("lang", LOCALES)
def test_server_error_page(server, page_factory, lang):  # noqa: F811
    """The 500 page (made without the database) as a browser shows it, at the server's origin."""
    page = page_factory(locale=LOCALES[lang])
    page.goto(f"{server.url}/no/such/page/")
    request = RequestFactory().get("/broken/")
    with translation.override(LOCALES[lang].lower()):
        html = error_page(request, 500).content.decode()
    page.set_content(html, wait_until="load")
    assert html_lang(page) == lang
    assert "Traceback" not in page.content()
    assert_accessible(page)
    screenshot(page, f"error-500-{lang}")


def test_signed_in_home_in_both_languages_and_the_switch(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url)
    assert html_lang(page) == "fr"
    assert "Demo User" in page.inner_text("#signed-in")
    assert page.locator("#home-organization").is_visible()
    assert page.locator("#home-teams").count() == 1
    assert_accessible(page)
    screenshot(page, "home-fr")

    # The switch: the interface and the account's language change.
    page.click("#language-switch button[value=en-us]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{server.url}/"
    assert page.context.request.get(f"{server.url}/api/v1.0/users/me/").json()["language"] == "en-us"
    assert "My organization" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "home-en")

    # A 403 page: a form whose CSRF cookie is gone.
    page.context.clear_cookies(name="csrftoken")
    page.click("#language-switch button[value=fr-fr]")
    page.wait_for_selector("#error-page")
    assert_accessible(page)

    page.goto(f"{server.url}/")
    page.click("#language-switch button[value=fr-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_signed_out_switch_changes_the_language(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    page.goto(f"{server.url}/signin/")
    assert html_lang(page) == "fr"
    page.click("#language-switch button[value=en-us]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Sign in with" in page.inner_text("#proconnect")
    page.goto(f"{server.url}/")
    assert html_lang(page) == "en"  # remembered (cookie)


def test_keyboard_skip_link_and_visible_focus(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    page.goto(f"{server.url}/signin/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-to-content"
    assert page.locator("#skip-to-content").is_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()
    # Tab on until the ProConnect button: its focus is visible.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "proconnect":
            break
    assert page.evaluate("document.activeElement.id") == "proconnect"
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()")
    assert outline[0] != "none"
    assert outline[1] != "0px"


def test_without_javascript_the_pages_work(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR", javascript=False)
    page.goto(f"{server.url}/dev/login/")
    page.click('button[data-email="demo@example.com"]')
    page.wait_for_selector("#signed-in")
    page.click("#language-switch button[value=en-us]")
    page.wait_for_selector("html[lang=en]")
    page.click("#sign-out button")
    page.wait_for_selector("#signed-out")
