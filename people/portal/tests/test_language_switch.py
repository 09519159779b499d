"""The language switch: a cookie for everyone, the account's `language` for a signed-in user
(through the identity service, audited), back to the page it was used on."""

import pytest
from django.conf import settings

from people.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_switch_sets_the_cookie_and_the_language(client):
    assert '<html lang="fr"' in client.get("/signin/").content.decode()
    response = client.post("/language/", {"language": "en-us", "next": "/signin/"})
    assert response.status_code == 302
    assert response["Location"] == "/signin/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-us"
    body = client.get("/signin/").content.decode()
    assert '<html lang="en"' in body
    assert "Sign in with" in body


def test_signed_in_switch_changes_the_account_language_and_is_audited(client):
    user = factories.UserFactory(language="en-us")
    client.force_login(user)
    client.post("/language/", {"language": "fr-fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr-fr"
    entry = AuditEntry.objects.get(action="user.update", target_id=str(user.pk))
    assert entry.changes == {"language": ["en-us", "fr-fr"]}
    assert "Mon organisation" in client.get("/").content.decode()


def test_the_account_language_wins_over_the_cookie(client):
    client.force_login(factories.UserFactory(language="fr-fr"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-us"
    assert '<html lang="fr"' in client.get("/").content.decode()


def test_unknown_language_is_a_400_and_changes_nothing(client):
    user = factories.UserFactory(language="en-us")
    client.force_login(user)
    response = client.post("/language/", {"language": "de-de", "next": "/"})
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.language == "en-us"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x"])
def test_next_elsewhere_goes_home(client, unsafe):
    assert client.post("/language/", {"language": "en-us", "next": unsafe})["Location"] == "/"


def test_only_post(client):
    assert client.get("/language/").status_code == 405
