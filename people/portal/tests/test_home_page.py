"""The home page at `/`: who is signed in and where to go."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_sees_sign_in_links(client, settings):
    settings.PEOPLE_DEV_LOGIN = False
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="signed-out"' in body
    assert "/dev/login/" not in body
    settings.PEOPLE_DEV_LOGIN = True
    assert "/dev/login/" in client.get("/").content.decode()


def test_signed_in_user_sees_name_links_and_sign_out(client):
    user = factories.UserFactory(name="Élodie Durand")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Élodie Durand" in body
    assert user.organization.name in body
    assert 'href="/api/v1.0/swagger/"' in body
    assert '<form method="post" action="/api/v1.0/logout/"' in body
    assert "csrfmiddlewaretoken" in body


def test_only_get(client):
    assert client.post("/").status_code == 405


def test_sign_out_form_signs_out(settings):
    from django.test import Client

    settings.PEOPLE_DEV_LOGIN = True
    client = Client(enforce_csrf_checks=True)
    user = factories.UserFactory()
    client.force_login(user)
    body = client.get("/").content.decode()
    action = body.split('<form method="post" action="', 1)[1].split('"', 1)[0]
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert 'id="signed-out"' in client.get("/").content.decode()
