"""The mail domain pages in a real browser, against the fake mail platform (served by the test
process; the People server's jobs provision on it): a domain's owner adds the domain and sees it
enabled; creates a mailbox, sees it pending while the platform has not answered, then enabled
once the outbox job has run; the domain needing DNS records shows them and "check again"
brings it back once they are published; aliases and accesses. axe-core finds no violation in
French and in English; one flow without JavaScript (confirmation pages instead of dialogs).
Screenshots: `make screenshots`.
"""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.browser import dev_sign_in, page_factory, screenshot  # noqa: F401
from tests.browser.live import people_server
from tests.peers.mail_platform import CREDENTIALS_B64, MailPlatformServer

DEMO = "demo@example.com"


@pytest.fixture(scope="module")
def platform():
    server = MailPlatformServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, platform):
    settings = {
        "MAIL_PROVISIONING_API_URL": platform.url,
        "MAIL_PROVISIONING_API_CREDENTIALS": CREDENTIALS_B64,
        "MAIL_PROVISIONING_API_TIMEOUT": "10",
        "MAIL_WEBMAIL_URL": "https://webmail.example.net",
    }
    with people_server(tmp_path_factory.mktemp("mail"), extra_env=settings) as live:
        yield live


def message(page) -> str:
    return page.inner_text("#messages")


def status_becomes(page, selector: str, text: str, *, seconds: float = 20) -> None:
    """Reload until `selector` says `text`: the outbox job runs in the server's background."""
    for _ in range(int(seconds * 4)):
        if text in page.text_content(selector):
            return
        page.wait_for_timeout(250)
        page.reload()
    assert text in page.text_content(selector)


def add_domain(page, url: str, name: str) -> str:
    page.goto(f"{url}/mail-domains/")
    page.click("#domain-create-link")
    page.fill("#id_name", name)
    page.fill("#id_support_email", f"support@{name}")
    page.click("#domain-create-form button[type=submit]")
    page.wait_for_selector("#domain-name")
    return page.url


def test_a_domain_its_mailboxes_aliases_and_accesses(server, platform, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, DEMO)
    page.goto(f"{server.url}/mail-domains/")
    assert_accessible(page)
    page.click("#domain-create-link")
    assert_accessible(page)
    domain_url = add_domain(page, server.url, "mairie-navigateur.fr")
    assert "en cours de création" in message(page)
    status_becomes(page, "#domain-status", "Actif")
    assert_accessible(page)
    page.goto(f"{server.url}/mail-domains/")
    screenshot(page, "mail-domains-fr")
    page.goto(domain_url)
    # The header links the domains now that the agent has a role on one.
    assert page.locator("#nav-mail").count() == 1

    # A mailbox: pending while the platform holds the creation, enabled once the job has run.
    gate = threading.Event()
    platform.platform.before("POST", "/mailboxes/", lambda _platform: gate.wait(8) and None)
    page.click("#mailbox-create-link")
    assert "lien de connexion à usage unique est envoyé à l'adresse e-mail secondaire" in page.inner_text("#mailbox-create-help")
    assert_accessible(page)
    page.fill("#id_first_name", "Inès")
    page.fill("#id_last_name", "Navigateur")
    page.fill("#id_local_part", "ines.navigateur")
    page.fill("#id_secondary_email", "ines@perso.example.net")
    page.click("#mailbox-create-form button[type=submit]")
    assert "Son lien de connexion à usage unique sera envoyé à ines@perso.example.net." in message(page)
    row = page.locator("#results tbody tr", has_text="ines.navigateur@mairie-navigateur.fr")
    assert "En attente" in row.text_content()
    screenshot(page, "mail-domain-fr")
    gate.set()
    status_becomes(page, "#results", "Actif")
    assert platform.platform.mailbox("ines.navigateur@mairie-navigateur.fr") is not None
    assert_accessible(page)

    # Reset the password through the dialog.
    row = page.locator("#results tbody tr", has_text="ines.navigateur@mairie-navigateur.fr")
    row.locator("button.people-js", has_text="Réinitialiser le mot de passe").click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert "Réinitialiser le mot de passe de ines.navigateur@mairie-navigateur.fr ?" in dialog.inner_text()
    dialog.locator("button[type=submit]").click()
    assert "est en cours de réinitialisation" in message(page)

    # The DNS records go missing: action required, with the records; check again once published.
    platform.platform.domains["mairie-navigateur.fr"].external_ok = False
    page.click("#check-again button")
    assert "vérifié à nouveau dans un instant" in message(page)
    status_becomes(page, "#domain-status", "Action requise")
    expect(page.locator("#dns-records tbody tr").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mail-domain-action-required-fr")
    platform.platform.domains["mairie-navigateur.fr"].external_ok = True
    page.click("#check-again button")
    status_becomes(page, "#domain-status", "Actif")
    assert page.locator("#dns-records").count() == 0

    # Aliases: add one, then delete it through its dialog.
    page.click("#domain-nav-aliases")
    page.fill("#id_local_part", "accueil")
    page.fill("#id_destination", "ines.navigateur@mairie-navigateur.fr")
    page.click("#alias-form button[type=submit]")
    assert "L'alias a été ajouté." in message(page)
    assert_accessible(page)
    screenshot(page, "mail-aliases-fr")
    row = page.locator("#results tbody tr", has_text="accueil@mairie-navigateur.fr")
    row.locator("button.people-js", has_text="Supprimer").first.click()
    page.locator("dialog[open]").wait_for()
    assert_accessible(page)
    page.locator("dialog[open] button[type=submit]").click()
    assert "a été supprimé" in message(page)

    # Accesses: give a colleague a role, change it; the last owner stays, with the reason.
    page.goto(domain_url)
    page.click("#domain-nav-accesses")
    page.click("#access-add-link")
    page.locator("#candidates-table tbody tr").first.wait_for()
    assert_accessible(page)
    page.locator("#candidates-table tbody tr button[type=submit]").first.click()
    assert "a maintenant un rôle sur le domaine" in message(page)
    page.click("#domain-nav-accesses")
    own = page.locator("#results tbody tr", has_text="Demo User")
    own.locator("select").select_option("viewer")
    own.locator("button", has_text="Changer").click()
    assert "au moins un propriétaire" in message(page)
    assert_accessible(page)
    screenshot(page, "mail-accesses-fr")
    page.click("#domain-nav-invitations")
    page.fill("#id_email", "invitee.mail@example.gouv.fr")
    page.click("#invite-form button[type=submit]")
    assert "Une invitation a été envoyée à invitee.mail@example.gouv.fr." in message(page)
    assert_accessible(page)


def test_the_pages_in_english_are_accessible(server, page_factory):  # noqa: F811
    page = page_factory(locale="en-US")
    dev_sign_in(page, server.url, DEMO)
    try:
        page.click("#language-switch button[value=en-us]")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        domain_url = add_domain(page, server.url, "town-english.fr")
        status_becomes(page, "#domain-status", "Enabled")
        page.goto(f"{server.url}/mail-domains/")
        assert page.locator("h1").inner_text() == "Mail domains"
        assert_accessible(page)
        screenshot(page, "mail-domains-en")
        page.goto(domain_url)
        page.click("#mailbox-create-link")
        page.fill("#id_first_name", "Sam")
        page.fill("#id_last_name", "English")
        page.fill("#id_local_part", "sam")
        page.fill("#id_secondary_email", "sam@home.example.net")
        page.click("#mailbox-create-form button[type=submit]")
        assert "Its one-time login link will be sent to sam@home.example.net." in message(page)
        status_becomes(page, "#results", "Enabled")
        assert_accessible(page)
        screenshot(page, "mail-domain-en")
        for section in ("aliases", "accesses", "invitations"):
            page.click(f"#domain-nav-{section}")
            assert page.locator(f"#domain-nav-{section}[aria-current=page]").count() == 1
            assert_accessible(page)
        # The question a dialog asks, as the page standing in for it without JavaScript.
        page.goto(domain_url)
        page.goto(server.url + page.locator("a.people-nojs", has_text="Disable").first.get_attribute("href"))
        assert page.locator("#confirm-form").count() == 1
        assert_accessible(page)
    finally:
        page.goto(f"{server.url}/")
        page.click("#language-switch button[value=fr-fr]")
        expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_without_javascript(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR", javascript=False)
    page.goto(f"{server.url}/dev/login/")
    page.click(f'button[data-email="{DEMO}"]')
    page.wait_for_selector("#signed-in")
    domain_url = add_domain(page, server.url, "sans-javascript.fr")
    status_becomes(page, "#domain-status", "Actif")
    page.click("#mailbox-create-link")
    page.fill("#id_first_name", "Lou")
    page.fill("#id_last_name", "Sansjs")
    page.fill("#id_local_part", "lou")
    page.fill("#id_secondary_email", "lou@perso.example.net")
    page.click("#mailbox-create-form button[type=submit]")
    status_becomes(page, "#results", "Actif")

    # Disabling: the question on its own page, then the mailbox is pending until the job ran.
    page.locator("#results tbody tr", has_text="lou@sans-javascript.fr").locator("a", has_text="Désactiver").click()
    assert "Désactiver la boîte mail lou@sans-javascript.fr ?" in page.inner_text("h1")
    page.click("#confirm-form button[type=submit]")
    assert "va être désactivée" in message(page)
    status_becomes(page, "#results", "Désactivé")

    # The search with the form's button.
    page.fill("#mailbox-search-q", "personne")
    page.click("#mailbox-search button[type=submit]")
    assert "Aucune boîte mail ne correspond à cette recherche." in page.inner_text("#results")

    # An alias removed through the confirmation page.
    page.goto(domain_url + "aliases/")
    page.fill("#id_local_part", "contact")
    page.fill("#id_destination", "lou@sans-javascript.fr")
    page.click("#alias-form button[type=submit]")
    page.locator("#results tbody tr", has_text="contact@sans-javascript.fr").locator("a", has_text="Tout supprimer").click()
    assert "Supprimer tous les alias de contact@sans-javascript.fr ?" in page.inner_text("h1")
    page.click("#confirm-form button[type=submit]")
    assert "Tous les alias de contact ont été supprimés." in message(page)
