"""The team pages in a real browser, as an agent uses them: create a team, add a member found by
search, change their role, try to remove the last owner and read the refusal, invite by e-mail
and see the e-mail's delivery, remove a member, rename and delete the team; adding a member
with the keyboard alone; the same without JavaScript where the flow differs (confirmation
pages instead of dialogs). axe-core finds no violation on the list, the team's pages, the
creation page, the dialogs and the pages standing in for them, in French and in English (axe
runs in the page: not in the test without JavaScript). Screenshots: `make screenshots`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.browser import dev_sign_in, page_factory, screenshot  # noqa: F401
from tests.browser.live import people_server

DEMO = "demo@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("teams")) as live:
        yield live


def colleagues(page, url: str) -> list[dict]:
    """The demo user's colleagues as `GET users/` lists them (the session is the API's too)."""
    answer = page.context.request.get(f"{url}/api/v1.0/users/?page_size=100").json()
    rows = answer["results"] if isinstance(answer, dict) else answer
    return [row for row in rows if row["email"] != DEMO and row["name"]]


def message(page) -> str:
    return page.inner_text("#messages")


def create_team(page, url: str, name: str) -> str:
    """Create a team from the list; the team page's URL."""
    page.goto(f"{url}/teams/")
    page.click("#team-create-link")
    page.fill("#id_name", name)
    page.click("#team-create-form button[type=submit]")
    page.wait_for_selector("#team-name")
    assert page.inner_text("#team-name") == name
    return page.url


def open_member_search(page) -> None:
    """Open the page adding a member, loaded: htmx binds the search-as-one-types once the page
    has loaded, and what is typed before that sends nothing."""
    with page.expect_navigation():
        page.click("#member-add-link")


def open_dialog(page, trigger) -> object:
    """Click `trigger` (a selector or a locator) and wait for its dialog to be open and its
    opening transition over (axe reads the colours as shown)."""
    (page.locator(trigger) if isinstance(trigger, str) else trigger).click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    settled(page)
    return dialog


def settled(page) -> None:
    wait_until(page, "() => document.getAnimations().every((a) => a.playState !== 'running')")


def wait_until(page, function: str, arg=None, *, seconds: float = 10) -> None:
    """Poll `function(arg)` in the page until it is true. (`page.wait_for_function` evaluates
    its predicate with `eval`, which the pages' Content-Security-Policy refuses.)"""
    for _ in range(int(seconds * 20)):
        try:
            if page.evaluate(function, arg):
                return
        except PlaywrightError:  # the page was navigating: its document is being replaced
            pass
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {function} ({arg!r})")


def tab_to(page, selector: str, *, presses: int = 80) -> None:
    """Press Tab until the element `selector` has the focus."""
    for _ in range(presses):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_team_from_creation_to_deletion(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, DEMO)
    colleague = colleagues(page, server.url)[0]

    page.goto(f"{server.url}/teams/")
    assert page.locator("#results tbody tr").count() >= 1
    assert_accessible(page)
    screenshot(page, "teams-list-fr")

    page.click("#team-create-link")
    assert_accessible(page)
    # A name left empty: the error next to its field, nothing created.
    page.click("#team-create-form button[type=submit]")
    assert "Ce champ est obligatoire." in page.inner_text("#id_name-desc-error")
    assert_accessible(page)
    team_url = create_team(page, server.url, "Équipe de démonstration")
    assert "L’équipe a été créée." in message(page)

    # Add a colleague found by a search as one types.
    open_member_search(page)
    first_name = colleague["name"].split()[0]
    page.fill("#people-search-q", first_name.lower())
    page.wait_for_url(re.compile(r"[?&]q="))  # the search is in the URL (htmx pushed it)
    row = page.locator("#candidates-table tbody tr", has_text=colleague["name"])
    row.wait_for()
    row.locator("select").select_option("administrator")
    row.locator("button[type=submit]").click()
    assert f"{colleague['name']} est désormais membre de l’équipe." in message(page)
    assert_accessible(page)

    # Change their role, inline.
    page.goto(team_url)
    member = page.locator("#results tbody tr", has_text=colleague["name"])
    member.locator("select").select_option("member")
    member.locator("button", has_text="Changer").click()
    page.wait_for_selector("#messages >> text=est désormais membre de l’équipe")
    assert member.locator("select").input_value() == "member"
    screenshot(page, "team-fr")
    assert_accessible(page)

    # The last owner cannot leave: the dialog, then the service's refusal on the page.
    open_dialog(page, "#leave-trigger")
    assert_accessible(page)
    page.click("#leave button[type=submit]")
    page.wait_for_selector("#messages .fr-alert--error")
    assert "Une équipe garde au moins un propriétaire : ajoutez d’abord un autre propriétaire." in message(page)
    assert page.locator("#results tbody tr").count() == 2  # a page, not an error

    # Nor step down.
    me = page.locator("#results tbody tr", has_text="Demo User")
    me.locator("select").select_option("member")
    # The alert of the refusal above is still on the page: wait for this change's answer.
    with page.expect_response(lambda response: response.request.method == "POST"):
        me.locator("button", has_text="Changer").click()
    page.wait_for_load_state()
    page.wait_for_selector("#messages .fr-alert--error")
    assert "au moins un propriétaire" in message(page)
    # The page shows the role the service kept (waits for the row to be shown again).
    expect(page.locator("#results tbody tr", has_text="Demo User").locator("select")).to_have_value("owner")

    # Invite by e-mail: the e-mail goes through the outbox, its delivery is shown.
    page.click("#team-nav-invitations")
    page.fill("#id_email", "invitee.browser@example.gouv.fr")
    page.click("#invite-form button[type=submit]")
    assert "Une invitation a été envoyée à invitee.browser@example.gouv.fr." in message(page)
    invitation = page.locator("#invitations tbody tr", has_text="invitee.browser@example.gouv.fr")
    for _ in range(50):
        if "Envoyée" in invitation.text_content():
            break
        page.wait_for_timeout(200)
        page.reload()
    assert "Envoyée" in invitation.text_content()
    assert_accessible(page)

    # Remove the member, through the dialog.
    page.goto(team_url)
    dialog = open_dialog(page, page.locator("#results tbody tr", has_text=colleague["name"]).locator("button.people-js", has_text="Retirer"))
    assert colleague["name"] in dialog.inner_text()
    assert_accessible(page)
    dialog.locator("button[type=submit]").click()
    assert f"{colleague['name']} a été retiré(e) de l’équipe." in message(page)
    assert page.locator("#results tbody tr").count() == 1

    # Rename, then delete.
    page.click("#team-nav-settings")
    assert_accessible(page)
    page.fill("#id_name", "Équipe renommée")
    page.click("#team-settings-form button[type=submit]")
    assert page.inner_text("#team-name") == "Équipe renommée"
    open_dialog(page, "#delete-team-trigger")
    assert_accessible(page)
    page.click("#delete-team button[type=submit]")
    page.wait_for_url(f"{server.url}/teams/")
    assert "L’équipe Équipe renommée a été supprimée." in message(page)
    assert "Équipe renommée" not in page.inner_text("#results")


def test_adding_a_member_with_the_keyboard_only(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR")
    dev_sign_in(page, server.url, DEMO)
    colleague = colleagues(page, server.url)[-1]
    team_url = create_team(page, server.url, "Équipe au clavier")
    page.goto(team_url)

    tab_to(page, "#member-add-link")
    page.keyboard.press("Enter")
    page.wait_for_selector("#people-search-q")
    tab_to(page, "#people-search-q")
    page.keyboard.type(colleague["email"])
    page.keyboard.press("Enter")
    row = page.locator("#candidates-table tbody tr", has_text=colleague["email"])
    row.wait_for()
    page.wait_for_load_state()
    add_button = f"#{row.locator('button[type=submit]').get_attribute('id')}"
    tab_to(page, add_button)
    page.keyboard.press("Enter")
    page.wait_for_selector("#messages")
    assert "est désormais membre de l’équipe." in message(page)

    # The removal dialog takes the focus, keeps it inside and gives it back to its button.
    page.goto(team_url)
    trigger = page.locator("#results tbody tr", has_text=colleague["name"]).locator("button.people-js", has_text="Retirer")
    trigger_id = trigger.get_attribute("id")
    tab_to(page, f"#{trigger_id}")
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog[open]")
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('dialog[open]')")
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog[open]", state="detached")
    wait_until(page, "(id) => document.activeElement && document.activeElement.id === id", trigger_id)


def test_the_pages_in_english_are_accessible(server, page_factory):  # noqa: F811
    page = page_factory(locale="en-US")
    dev_sign_in(page, server.url, DEMO)
    try:
        page.click("#language-switch button[value=en-us]")  # the account's language: English
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto(f"{server.url}/teams/")
        assert page.locator("h1").inner_text() == "Teams"
        assert_accessible(page)
        screenshot(page, "teams-list-en")
        page.click("#team-create-link")
        assert_accessible(page)
        team_url = create_team(page, server.url, "English team")
        colleague = colleagues(page, server.url)[0]
        open_member_search(page)
        page.fill("#people-search-q", colleague["email"])
        page.locator("#candidates-table tbody tr", has_text=colleague["email"]).wait_for()
        assert_accessible(page)
        page.locator("#candidates-table tbody tr", has_text=colleague["email"]).locator("button[type=submit]").click()
        assert "is now a member of the team." in message(page)
        page.goto(team_url)
        assert_accessible(page)
        screenshot(page, "team-en")
        open_dialog(page, page.locator("#results tbody tr", has_text=colleague["name"]).locator("button.people-js", has_text="Remove"))
        assert_accessible(page)
        page.keyboard.press("Escape")
        # The question a dialog asks, as the page that stands in for it without JavaScript.
        page.goto(server.url + page.locator("a.people-nojs", has_text="Leave the team").get_attribute("href"))
        assert page.locator("#confirm-form").count() == 1
        assert_accessible(page)
        page.goto(team_url)
        for section in ("invitations", "subteams", "settings"):
            page.click(f"#team-nav-{section}")
            assert page.locator(f"#team-nav-{section}[aria-current=page]").count() == 1
            assert_accessible(page)
        page.goto(f"{server.url}/teams/?q=ENGLISH")  # search from the URL, case ignored
        assert page.locator("#results tbody tr", has_text="English team").count() == 1
    finally:
        page.goto(f"{server.url}/")
        page.click("#language-switch button[value=fr-fr]")
        expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_without_javascript_confirmation_pages_stand_in_for_the_dialogs(server, page_factory):  # noqa: F811
    page = page_factory(locale="fr-FR", javascript=False)
    page.goto(f"{server.url}/dev/login/")
    page.click(f'button[data-email="{DEMO}"]')
    page.wait_for_selector("#signed-in")
    colleague = colleagues(page, server.url)[0]
    team_url = create_team(page, server.url, "Équipe sans JavaScript")

    # Search with the form's button, add, change the role with the row's button.
    page.click("#member-add-link")
    page.fill("#people-search-q", colleague["email"])
    page.click("#people-search button[type=submit]")
    row = page.locator("#candidates-table tbody tr", has_text=colleague["email"])
    row.locator("button[type=submit]").click()
    assert "est désormais membre de l’équipe." in message(page)
    page.goto(team_url)
    member = page.locator("#results tbody tr", has_text=colleague["name"])
    member.locator("select").select_option("administrator")
    member.locator("button", has_text="Changer").click()
    assert "est désormais administrateur de l’équipe." in message(page)

    # Leaving as the last owner: the question on its own page, then the refusal.
    page.click("a.people-nojs:has-text('Quitter l’équipe')")
    page.click("#confirm-form button[type=submit]")
    assert "au moins un propriétaire" in message(page)

    # Removing: the question page, then the member is gone.
    page.locator("#results tbody tr", has_text=colleague["name"]).locator("a", has_text="Retirer").click()
    assert colleague["name"] in page.inner_text("h1")
    page.click("#confirm-form button[type=submit]")
    assert "a été retiré(e) de l’équipe." in message(page)

    # Deleting: the question page, then the list.
    page.click("#team-nav-settings")
    page.click("a.people-nojs:has-text('Supprimer l’équipe')")
    page.click("#confirm-form button[type=submit]")
    assert re.search(r"/teams/$", page.url)
    assert "Équipe sans JavaScript" not in page.inner_text("#results")
