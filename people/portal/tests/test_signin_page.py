"""The sign-in page: the ProConnect button starting the OpenID sign-in, the development sign-in
when enabled, and `next` carried to both when it is one of ours."""

from urllib.parse import quote

import pytest
from django.contrib.auth.views import redirect_to_login

from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_needing_a_session_send_to_the_sign_in_page_with_next():
    assert redirect_to_login("/teams/?q=a")["Location"] == f"/signin/?next={quote('/teams/?q=a', safe='/')}"


def test_button_and_development_link_carry_next(client, settings):
    settings.PEOPLE_DEV_LOGIN = True
    body = client.get("/signin/", {"next": "/teams/?page=2"}).content.decode()
    assert 'class="fr-connect people-proconnect" href="/api/v1.0/authenticate/?next=%2Fteams%2F%3Fpage%3D2"' in body
    assert 'href="/dev/login/?next=%2Fteams%2F%3Fpage%3D2"' in body
    assert "S’identifier avec" in body
    assert "ProConnect" in body
    assert 'href="https://www.proconnect.gouv.fr/"' in body


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_to_another_site_is_dropped(client, settings, unsafe):
    settings.PEOPLE_DEV_LOGIN = True
    body = client.get("/signin/", {"next": unsafe}).content.decode()
    assert 'class="fr-connect people-proconnect" href="/api/v1.0/authenticate/"' in body
    assert 'href="/dev/login/"' in body


def test_development_link_only_when_enabled(client, settings):
    settings.PEOPLE_DEV_LOGIN = False
    assert "/dev/login/" not in client.get("/signin/").content.decode()


def test_signed_in_agent_goes_on_to_next(client):
    client.force_login(factories.UserFactory())
    assert client.get("/signin/", {"next": "/teams/"})["Location"] == "/teams/"
    assert client.get("/signin/", {"next": "https://evil.example/"})["Location"] == "/"


def test_the_sign_in_started_from_the_page_comes_back_to_next(client, settings):
    """Without a provider configured, `authenticate/` sends to the development sign-in, which
    comes back to `next` once signed in (the provider's flow keeps it the same way)."""
    settings.PEOPLE_DEV_LOGIN = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    factories.UserFactory(email="agent@example.gouv.fr")
    start = client.get("/api/v1.0/authenticate/", {"next": "/teams/"})
    assert start.status_code == 302
    assert start["Location"].startswith("/dev/login/")
    signed_in = client.post(start["Location"], {"email": "agent@example.gouv.fr"})
    assert signed_in["Location"] == "/teams/"
