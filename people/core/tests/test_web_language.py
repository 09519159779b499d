"""The language of an answer: the user's `language`, else the switch's cookie, else the
browser's, else French for pages and English for the API."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/signin/"
API = "/api/v1.0/no-such-endpoint/"


def page_language(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_pages_default_to_french_and_the_api_to_english(client):
    assert page_language(client.get(PAGE)) == "fr"
    assert client.get(API).json()["detail"] == "Not found."
    assert client.get("/resource-server/v1.0/nope/").json()["detail"] == "Not found."
    scim = client.get("/scim/v2/nope")  # the SCIM server's own error body, in English
    assert (scim["Content-Type"], scim["Content-Language"]) == ("application/scim+json", "en-us")


def test_the_browser_language_applies_to_both(client):
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")) == "en"
    assert client.get(API, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").json()["detail"] == "Non trouvé."
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="de-DE,en;q=0.5")) == "en"
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="de-DE")) == "fr"


def test_the_cookie_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-us"
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr")) == "en"


def test_the_user_language_wins_over_everything(client):
    client.force_login(UserFactory(language="fr-fr"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-us"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"
    assert client.get(API, HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "Non trouvé."


def test_answers_say_their_language_and_what_it_depends_on(client):
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en-us"
    assert {"Accept-Language", "Cookie"} <= {value.strip() for value in response["Vary"].split(",")}


def test_the_language_does_not_leak_past_the_request(client):
    with translation.override("en-us"):
        client.get(PAGE)  # French
        assert translation.get_language() == "en-us"


def test_an_api_error_in_the_users_language_does_not_leak_to_the_thread(client):
    client.force_login(UserFactory(language="fr-fr"))
    with translation.override("en-us"):
        assert client.get(API).json()["detail"] == "Non trouvé."
        assert translation.get_language() == "en-us"


def test_api_routes_that_need_no_user_do_not_read_it(client, django_assert_num_queries):
    """The session's user is read by the API's authentication, not for the language: `jwks`
    with a session cookie runs no query beyond the session's."""
    client.force_login(UserFactory(language="fr-fr"))
    with django_assert_num_queries(0):
        assert client.get("/api/v1.0/jwks").status_code == 200
