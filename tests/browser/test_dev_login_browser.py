"""In a real browser (Debian's headless Chromium): sign in through /dev/login/, see the home page.

Screenshots are kept under var/browser/ to look at what a person sees.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.browser.live import ROOT, people_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "var" / "browser"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(
        "Chromium and its driver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1100,800",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with people_server(tmp_path_factory.mktemp("browser")) as live:
        yield live


@pytest.fixture
def browser():
    profile = tempfile.mkdtemp(prefix="people-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_sign_in_as_demo_user_shows_the_home_page(server, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(f"{server.url}/")
    assert browser.find_element(By.ID, "signed-out")

    browser.get(f"{server.url}/dev/login/")
    assert "Development sign-in" in browser.title
    browser.save_screenshot(str(SCREENSHOTS / "dev-login.png"))
    browser.find_element(By.CSS_SELECTOR, 'button[data-email="demo@example.com"]').click()

    signed_in = WebDriverWait(browser, 15).until(expected_conditions.presence_of_element_located((By.ID, "signed-in")))
    assert browser.current_url == f"{server.url}/"
    assert "Demo User" in signed_in.text
    assert "Demo organization" in signed_in.text
    browser.save_screenshot(str(SCREENSHOTS / "home.png"))

    # The session is the API's too.
    browser.find_element(By.CSS_SELECTOR, 'a[href="/api/v1.0/users/me/"]').click()
    assert '"email":"demo@example.com"' in browser.find_element(By.TAG_NAME, "body").text.replace(" ", "")

    browser.get(f"{server.url}/")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 15).until(expected_conditions.presence_of_element_located((By.ID, "signed-out")))


def test_unknown_email_is_refused_in_the_form(server, browser):
    browser.get(f"{server.url}/dev/login/")
    field = browser.find_element(By.ID, "id_email")
    field.send_keys("nobody@example.com")
    browser.find_element(By.CSS_SELECTOR, "#email-form button").click()
    error = WebDriverWait(browser, 15).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
    assert "No active user" in error.text
    browser.get(f"{server.url}/")
    assert browser.find_element(By.ID, "signed-out")
