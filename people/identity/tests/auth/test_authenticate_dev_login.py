"""GET /api/v1.0/authenticate/ without a provider: the development sign-in stands in for it.

Any client's sign-in link then works in the embedded mode (`make run`), `next` included, and
`next` is checked as strictly as for the provider: an external one is never passed on.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.factories import UserFactory

from .conftest import AUTHORIZATION_URL

URL = "/api/v1.0/authenticate/"
DEV_LOGIN = "/dev/login/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(settings):
    """`make run`'s settings: development sign-in on, no provider."""
    settings.PEOPLE_DEV_LOGIN = True
    settings.OIDC_OP_URL = None
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = None
    settings.OIDC_REDIRECT_ALLOWED_HOSTS = ["app.example.fr"]
    return settings


def _next_of(location: str) -> str | None:
    parts = urlsplit(location)
    assert parts.path == DEV_LOGIN
    return parse_qs(parts.query).get("next", [None])[0]


@pytest.mark.usefixtures("embedded")
@pytest.mark.parametrize(
    ("next_url", "kept"),
    [
        (None, None),
        ("/teams/42/", "/teams/42/"),
        ("http://testserver/teams/?a=1&b=2", "http://testserver/teams/?a=1&b=2"),
        ("https://app.example.fr/x", "https://app.example.fr/x"),
        ("https://evil.example.com/", None),
        ("//evil.example.com/", None),
        ("/\\evil.example.com/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_sends_to_the_development_sign_in_with_a_safe_next(client, next_url, kept):
    response = client.get(URL, {"next": next_url} if next_url else {})
    assert response.status_code == 302
    assert _next_of(response["Location"]) == kept
    assert "oidc_states" not in client.session


@pytest.mark.usefixtures("embedded")
def test_silent_attempt_goes_back_without_signing_in(client):
    response = client.get(URL, {"silent": "true", "next": "/teams/"})
    assert (response.status_code, response["Location"]) == (302, "/teams/")
    assert client.get(URL, {"silent": "true", "next": "https://evil.example.com/"})["Location"] == "/"


@pytest.mark.usefixtures("embedded")
def test_the_whole_round_trip_ends_at_next_signed_in():
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    page_url = browser.get(URL, {"next": "/api/v1.0/users/me/"})["Location"]
    page = browser.get(page_url)
    assert page.status_code == 200
    # The sign-in forms post to the page's own URL, so `next` comes along; the search keeps it.
    assert 'method="post" action=""' in page.content.decode()
    assert '<input type="hidden" name="next" value="/api/v1.0/users/me/">' in page.content.decode()
    token = page.cookies["csrftoken"].value
    response = browser.post(page_url, {"email": user.email, "csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, "/api/v1.0/users/me/")
    assert browser.get(response["Location"]).json()["id"] == str(user.pk)


@pytest.mark.usefixtures("embedded")
@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/"])
def test_the_development_sign_in_checks_next_itself(next_url):
    """The page is reachable directly: an external `next` there leads home, not away."""
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(DEV_LOGIN, {"next": next_url})
    assert "evil" not in page.content.decode()
    token = page.cookies["csrftoken"].value
    response = browser.post(f"{DEV_LOGIN}?next={next_url}", {"email": user.email, "csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_configured_provider_still_wins(client, op_settings):
    op_settings.PEOPLE_DEV_LOGIN = True
    response = client.get(URL)
    assert response["Location"].startswith(f"{AUTHORIZATION_URL}?")


def test_without_the_development_sign_in_no_provider_is_the_failure_page(client, embedded):
    embedded.PEOPLE_DEV_LOGIN = False
    response = client.get(URL)
    assert response["Location"] == "/api/v1.0/login-failure/?error=provider_error"
