"""The layout in a real browser: sign-in and home pages are accessible (axe) in both languages."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.browser import dev_sign_in, page, page_factory  # noqa: F401
from tests.browser.live import people_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("web")) as live:
        yield live


@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
def test_sign_in_and_home_pages_are_accessible(server, page_factory, locale):  # noqa: F811
    page = page_factory(locale=locale)
    page.goto(f"{server.url}/signin/")
    assert_accessible(page)
    dev_sign_in(page, server.url)
    assert_accessible(page)
