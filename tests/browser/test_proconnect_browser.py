"""Signing in through the real OpenID provider in a browser, as an agent does: a page asked for
while signed out, the ProConnect button, the provider's login and consent pages, back on the
page first asked for; then signing out through the provider (RP-initiated logout).

The provider is the test one (`make run-idp`, npm oidc-provider) and People runs as `make run`
runs it with the variables `make run-idp` prints, as the README tells a developer to do."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.browser import page_factory  # noqa: F401 (fixture)
from tests.browser.live import ROOT, free_port, make, wait_until_up
from tests.e2e.test_oidc_make_run import environment, printed_variables  # noqa: F401 (fixture)
from tests.peers.oidc.fixtures import DEFAULT_ACCOUNTS

pytestmark = [pytest.mark.peer]


def test_an_agent_signs_in_with_proconnect_and_lands_on_the_page_asked_for(environment, tmp_path, request, page_factory):  # noqa: F811
    people = f"http://127.0.0.1:{free_port()}"
    idp_env = {**environment, "IDP_PORT": str(free_port()), "IDP_RP_URL": people}
    request.addfinalizer(lambda: (ROOT / "var" / f"oidc-provider-{idp_env['IDP_PORT']}.json").unlink(missing_ok=True))
    alice = DEFAULT_ACCOUNTS["alice"]
    with make("run-idp", idp_env, tmp_path / "idp.log") as idp:
        variables = printed_variables(tmp_path / "idp.log", idp)
        run_env = {**environment, **variables, "HOST": "127.0.0.1", "PORT": people.rsplit(":", 1)[1]}
        with make("run", run_env, tmp_path / "run.log") as server:
            wait_until_up(people, server, tmp_path / "run.log")
            page = page_factory(locale="fr-FR")
            page.goto(f"{people}/teams/")  # signed out: the sign-in page, which remembers the page
            expect(page.locator("a#proconnect")).to_be_visible()
            assert_accessible(page)
            page.click("a#proconnect")
            page.wait_for_url(f"{variables['OIDC_OP_URL']}/**")
            page.fill("#login input[name=login]", "alice")
            page.click("#login button[type=submit]")
            page.click("#consent button[type=submit]")
            page.wait_for_url(f"{people}/teams/")
            expect(page.locator("header")).to_contain_text(f"{alice['given_name']} {alice['usual_name']}")
            assert page.context.request.get(f"{people}/api/v1.0/users/me/").json()["email"] == alice["email"]

            page.click("#sign-out button[type=submit]")
            page.wait_for_url(f"{variables['OIDC_OP_URL']}/**")
            page.click("button[value=yes]")
            page.wait_for_url(f"{people}/**")
            expect(page.locator("a#proconnect")).to_be_visible()
            assert page.context.request.get(f"{people}/api/v1.0/users/me/").status == 401
