"""Chromium for the browser tests: Debian's Chromium driven by Playwright (no browser download).

    from tests.browser.browser import page, dev_sign_in  # noqa: F401 (the `page` fixture)

`page` is a fresh profile in French (Accept-Language fr-FR); `open_page(locale=..., javascript=...)`
(fixture `page_factory`) opens others, in English or without JavaScript.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.browser.live import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "browser"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 15_000
# `make screenshots` sets it: the screenshots of the main pages also go there (docs/screenshots).
SCREENSHOTS_DIR_ENV = "PEOPLE_SCREENSHOTS_DIR"
VIEWPORT = {"width": 1100, "height": 800}


def sync_api():
    """Playwright's sync API, or the test is skipped with the reason."""
    api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium, or make chromium)")
    return api


@contextmanager
def browser_pages() -> Iterator:
    """`open(locale="fr-FR", javascript=True, viewport=VIEWPORT)` → a page in its own profile."""
    api = sync_api()
    with ExitStack() as stack:
        playwright = stack.enter_context(api.sync_playwright())

        def open_page(*, locale: str = "fr-FR", javascript: bool = True, viewport: dict | None = None):
            profile = tempfile.mkdtemp(prefix="people-chromium-")
            stack.callback(shutil.rmtree, profile, ignore_errors=True)
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=[*FLAGS, f"--lang={locale}"],
                viewport=viewport or VIEWPORT, locale=locale, java_script_enabled=javascript,
            )
            stack.callback(context.close)
            context.set_default_timeout(TIMEOUT_MS)
            return context.new_page()

        yield open_page


@pytest.fixture
def page_factory():
    with browser_pages() as open_page:
        yield open_page


@pytest.fixture
def page(page_factory):
    return page_factory()


def dev_sign_in(page, url: str, email: str = "demo@example.com", *, next_path: str = "") -> None:
    """Sign in through the development sign-in page, as a person would (then on `next_path`)."""
    page.goto(f"{url}/dev/login/" + (f"?next={next_path}" if next_path else ""))
    page.click(f'button[data-email="{email}"]')
    page.wait_for_selector("#signed-in")


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """`<name>.png` of the page under var/browser/, and under $PEOPLE_SCREENSHOTS_DIR when set
    (`make screenshots` keeps those of the main pages in docs/screenshots/)."""
    folders = [SCREENSHOTS]
    if os.environ.get(SCREENSHOTS_DIR_ENV):
        folders.append(Path(os.environ[SCREENSHOTS_DIR_ENV]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
