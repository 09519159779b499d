"""Contacts in a real browser, as an agent uses them: search as one types, create a contact
with its profile fields (a line added by htmx, or by a plain POST without JavaScript), edit it,
delete it through the confirmation dialog (or its page without JavaScript), make one's own
version of a colleague's profile card. axe-core finds no violation on any of these pages, in
French and in English. Screenshots: contacts-fr, contacts-en."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.browser import SCREENSHOTS, dev_sign_in, page_factory, screenshot  # noqa: F401
from tests.browser.live import people_server


def expect(locator):
    """Playwright's assertions, which wait without evaluating strings (the pages' CSP refuses
    `eval`, which `page.wait_for_function` needs once it has to poll)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)

DEMO = "demo@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("contacts")) as live:
        yield live


def contact_names(page) -> list[str]:
    return page.locator("#contacts tbody td:first-child a").all_inner_texts()


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_list_and_search_as_one_types(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, next_path="/contacts/")
    assert html_lang(page) == "fr"
    assert page.locator("h1").inner_text() == "Contacts"
    # The demo user's version of the town hall's reception replaces the original.
    names = contact_names(page)
    assert "Accueil (mon numéro direct)" in names
    assert "Accueil de la mairie" not in names
    assert_accessible(page)
    screenshot(page, "contacts-fr")

    page.fill("#contact-search-q", "prefecture")  # accents and case do not matter
    expect(page.locator("#contacts tbody tr")).to_have_count(1)
    assert contact_names(page) == ["Standard préfecture"]
    assert page.url.endswith("/contacts/?q=prefecture")
    assert page.locator("h1").count() == 1  # only the results were swapped
    page.reload()
    assert contact_names(page) == ["Standard préfecture"]  # the search is in the URL


def test_create_edit_and_delete_with_javascript(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, next_path="/contacts/")
    page.click("#contact-create")
    page.wait_for_selector("#contact-form")

    # A form sent with a bad address: the error is next to its field, the rest is kept.
    page.fill("#id_full_name", "Camille Navarro")
    page.fill("#id_emails-0-value", "camille@")
    page.click("#contact-save")
    page.wait_for_selector("#id_emails-0-value-desc-error")
    assert page.input_value("#id_full_name") == "Camille Navarro"
    assert page.get_attribute("#id_emails-0-value", "aria-invalid") == "true"
    assert_accessible(page)

    page.fill("#id_emails-0-value", "camille.navarro@example.gouv.fr")
    page.fill("#id_phones-0-value", "01 23 45 67 89")
    # A line more, swapped in by htmx (the page is not reloaded) and focused.
    page.evaluate("window.__notReloaded = true")
    page.click("#add-addresses")
    page.wait_for_selector("#id_addresses-0-street")
    assert page.evaluate("window.__notReloaded") is True
    expect(page.locator("#id_addresses-0-street")).to_be_focused()
    page.keyboard.type("20 avenue de Ségur")
    page.fill("#id_addresses-0-zip", "75007")
    page.fill("#id_addresses-0-city", "Paris")
    page.click("#add-organizations")
    page.wait_for_selector("#id_organizations-0-name")
    page.fill("#id_organizations-0-name", "DINUM")
    page.fill("#id_organizations-0-job_title", "Cheffe de projet")
    assert page.input_value("#id_addresses-0-street") == "20 avenue de Ségur"
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "contact-form-fr.png"), full_page=True)  # var/browser only
    # Enter in a field saves (the form's default button), it adds no line.
    page.focus("#id_short_name")
    page.keyboard.type("Camille")
    page.keyboard.press("Enter")
    page.wait_for_selector("#contact-name")
    assert "Contact créé." in page.inner_text("#messages")
    details = page.inner_text("#contact-details")
    assert "camille.navarro@example.gouv.fr" in details
    assert "20 avenue de Ségur, 75007 Paris" in details
    assert "DINUM" in details
    assert_accessible(page)

    page.click("#contact-edit")
    page.fill("#id_full_name", "Camille Navarro-Petit")
    page.click("label[for=id_phones-0-DELETE]")  # the design system's box: its label is what one clicks
    assert page.is_checked("#id_phones-0-DELETE")
    page.click("#add-links")
    page.wait_for_selector("#id_links-0-value")
    page.select_option("#id_links-0-kind", "Website")
    page.fill("#id_links-0-value", "https://camille.example.fr")
    page.click("#contact-save")
    page.wait_for_selector("#contact-name")
    assert "Camille Navarro-Petit" in page.inner_text("#contact-name")
    details = page.inner_text("#contact-details")
    assert "01 23 45 67 89" not in details
    assert page.locator('#contact-details a[href="https://camille.example.fr"]').count() == 1

    # Delete through the dialog: it takes the focus, Escape gives it back to its button.
    page.click("#contact-delete-trigger")
    expect(page.locator("#contact-delete")).to_have_css("opacity", "1")  # opened, its fade-in over
    expect(page.locator("#contact-delete :focus")).to_have_count(1)
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.locator("#contact-delete-trigger")).to_be_focused()
    page.click("#contact-delete-trigger")
    page.wait_for_selector("#contact-delete.fr-modal--opened")
    page.click("#contact-delete form button[type=submit]")
    page.wait_for_url(f"{server.url}/contacts/")
    assert "Contact supprimé." in page.inner_text("#messages")
    assert "Camille Navarro-Petit" not in contact_names(page)


def test_without_javascript_lines_are_added_and_deletion_is_confirmed_on_a_page(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR", javascript=False)
    dev_sign_in(page, server.url, next_path="/contacts/new/")
    page.fill("#id_full_name", "Sans Script")
    page.fill("#id_emails-0-value", "sans.script@example.gouv.fr")
    page.click("#add-emails")  # a plain POST: the page comes back with a line more
    page.wait_for_selector("#id_emails-1-value")
    assert page.input_value("#id_emails-0-value") == "sans.script@example.gouv.fr"
    page.fill("#id_emails-1-value", "autre@example.gouv.fr")
    page.select_option("#id_emails-1-kind", "Home")
    page.click("#contact-save")
    page.wait_for_selector("#contact-name")
    details = page.inner_text("#contact-details")
    assert "sans.script@example.gouv.fr" in details
    assert "autre@example.gouv.fr" in details

    # The dialog's button is a link to a confirmation page.
    assert page.locator("#contact-delete-trigger").is_hidden()
    page.click("a.people-nojs[href$='/delete/']")
    page.wait_for_selector("#confirm-form")
    assert "Supprimer Sans Script ?" in page.inner_text("h1")
    confirm_url = page.url
    # axe needs JavaScript: the same confirmation page is checked in a browser that has it.
    checker = page_factory(locale="fr-FR")
    dev_sign_in(checker, server.url, next_path=confirm_url.removeprefix(server.url))
    checker.wait_for_selector("#confirm-form")
    assert_accessible(checker)
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url(f"{server.url}/contacts/")
    assert "Sans Script" not in contact_names(page)


def colleague_of_demo(page, url: str) -> str:
    """A colleague of the demo user (same organization), read through the API as the demo user."""
    users = page.context.request.get(f"{url}/api/v1.0/users/").json()
    users = users["results"] if isinstance(users, dict) else users
    return next(user["email"] for user in users if user["email"] != DEMO)


def test_my_own_version_of_a_colleagues_profile_card(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url)
    colleague = colleague_of_demo(page, server.url)
    page.context.clear_cookies()
    dev_sign_in(page, server.url, colleague, next_path="/contacts/?q=demo")
    page.click("#contacts a:text-is('Demo User')")
    page.wait_for_selector("#contact-name")
    assert page.locator("#contact-edit").count() == 0  # not theirs to edit
    assert page.locator("#contact-delete-trigger").count() == 0
    page.click("#contact-override")
    page.wait_for_selector("#override-help")
    assert page.input_value("#id_full_name") == "Demo User"
    assert page.input_value("#id_emails-0-value") == DEMO
    assert_accessible(page)
    page.fill("#id_full_name", "Demo User (bureau 12)")
    page.fill("#id_phones-0-value", "01 02 03 04 05")
    page.click("#contact-save")
    page.wait_for_selector("#contact-original")
    assert page.inner_text("#contact-name").startswith("Demo User (bureau 12)")
    assert_accessible(page)

    page.goto(f"{server.url}/contacts/?q=demo")
    assert contact_names(page) == ["Demo User (bureau 12)"]
    # The demo user still sees their own card unchanged.
    page.context.clear_cookies()
    dev_sign_in(page, server.url, next_path="/contacts/?q=demo")
    assert contact_names(page) == ["Demo User"]


def test_the_pages_in_english(server, page_factory):  # noqa: F811
    page = page_factory(locale="en-US")
    dev_sign_in(page, server.url, next_path="/contacts/")
    page.click("#language-switch button[value=en-us]")  # the demo user's language is French
    expect(page.locator("html")).to_have_attribute("lang", "en")
    try:
        assert page.locator("h1").inner_text() == "Contacts"
        assert "New contact" in page.inner_text("#contact-create")
        assert_accessible(page)
        screenshot(page, "contacts-en")
        page.click("#contacts a:text-is('Standard préfecture')")
        page.wait_for_selector("#contact-name")
        assert page.text_content("#contact-kind") == "Directory"
        assert_accessible(page)
        page.click("#contact-override")
        page.wait_for_selector("#contact-form")
        assert "My version of Standard préfecture" in page.inner_text("h1")
        assert_accessible(page)
    finally:
        page.goto(f"{server.url}/contacts/")
        page.click("#language-switch button[value=fr-fr]")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
