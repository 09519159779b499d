"""My account and my organization in a real browser: changing the account's language changes
the interface's at once (and the account, as the API reads it); an administrator renames the
organization, a member only reads it. axe-core finds no violation, in French and in English.
Screenshots: account-fr, account-en, organization-fr, organization-en."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.browser import dev_sign_in, page_factory, screenshot  # noqa: F401
from tests.browser.live import people_server

DEMO = "demo@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("account")) as live:
        yield live


def expect(locator):
    """Playwright's assertions, which wait without evaluating strings (the pages' CSP refuses
    `eval`, which `page.wait_for_function` needs once it has to poll)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def me(page, url: str) -> dict:
    return page.context.request.get(f"{url}/api/v1.0/users/me/").json()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_account_language_changes_the_interface_at_once(server, page_factory, javascript):  # noqa: F811
    page = page_factory(locale="fr-FR", javascript=javascript)
    dev_sign_in(page, server.url, next_path="/account/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.inner_text("h1") == "Mon compte"
    assert page.input_value("#id_language") == "fr-fr"
    if javascript:
        assert_accessible(page)
        screenshot(page, "account-fr")

    page.select_option("#id_language", "en-us")
    page.select_option("#id_timezone", "America/Cayenne")
    page.click("#preferences button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{server.url}/account/"
    assert page.inner_text("h1") == "My account"
    assert "Your preferences are saved." in page.inner_text("#messages")
    assert "Sign out" in page.inner_text("#sign-out")
    assert page.input_value("#id_timezone") == "America/Cayenne"
    assert (me(page, server.url)["language"], me(page, server.url)["timezone"]) == ("en-us", "America/Cayenne")
    if javascript:
        assert_accessible(page)
        screenshot(page, "account-en")
    page.goto(f"{server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # every page, not only this one

    page.goto(f"{server.url}/account/")
    page.select_option("#id_language", "fr-fr")
    page.select_option("#id_timezone", "Europe/Paris")
    page.click("#preferences button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert "Vos préférences sont enregistrées." in page.inner_text("#messages")


def test_an_unknown_time_zone_is_refused_next_to_its_field(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, next_path="/account/")
    # A value the list does not offer, as a forged form would send it.
    page.evaluate("document.querySelector('#id_timezone').add(new Option('Mars/Olympus', 'Mars/Olympus', true, true))")
    page.click("#preferences button[type=submit]")
    page.wait_for_selector("#id_timezone-desc-error")
    assert "Mars/Olympus n’est pas un fuseau horaire connu." in page.inner_text("#id_timezone-desc-error")
    assert page.get_attribute("#id_timezone", "aria-invalid") == "true"
    assert_accessible(page)
    assert me(page, server.url)["timezone"] == "Europe/Paris"


def test_an_administrator_renames_the_organization(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, next_path="/organization/")
    assert page.inner_text("#organization-name") == "Demo organization"
    assert page.locator("#organization-domains li").count() >= 1
    assert page.locator("#providers tbody tr").count() >= 1
    assert_accessible(page)
    screenshot(page, "organization-fr")

    page.fill("#id_name", "")
    page.click("#organization-rename button[type=submit]")
    page.wait_for_selector("#id_name-desc-error")
    assert_accessible(page)

    page.fill("#id_name", "Mairie de Démo")
    page.click("#organization-rename button[type=submit]")
    expect(page.locator("#organization-name")).to_have_text("Mairie de Démo")
    assert "L’organisation est renommée." in page.inner_text("#messages")
    assert "Mairie de Démo" in page.inner_text("#signed-in")  # the header too
    page.fill("#id_name", "Demo organization")
    page.click("#organization-rename button[type=submit]")
    expect(page.locator("#organization-name")).to_have_text("Demo organization")

    page.click("#language-switch button[value=en-us]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    try:
        assert "Services of the suite it may use" in page.inner_text("#providers caption")
        assert_accessible(page)
        screenshot(page, "organization-en")
    finally:
        page.click("#language-switch button[value=fr-fr]")
        expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_a_member_reads_the_organization(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url)
    users = page.context.request.get(f"{server.url}/api/v1.0/users/").json()
    users = users["results"] if isinstance(users, dict) else users
    colleague = next(user["email"] for user in users if user["email"] != DEMO)
    page.context.clear_cookies()
    dev_sign_in(page, server.url, colleague, next_path="/organization/")
    assert page.inner_text("#organization-name") == "Demo organization"
    assert page.locator("#id_name").count() == 0
    assert page.locator("#organization-read-only").is_visible()
    assert_accessible(page)
