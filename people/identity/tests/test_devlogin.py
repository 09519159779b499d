"""Development sign-in (`/dev/login/`): off by default, CSRF-protected, active users only."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/dev/login/"


@pytest.fixture
def dev_login_on(settings):
    settings.PEOPLE_DEV_LOGIN = True


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def sign_in(client, email):
    page = client.get(URL)
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    return client.post(URL, {"email": email, "csrfmiddlewaretoken": token})


@pytest.mark.parametrize("method", ["get", "post"])
def test_off_by_default(client, settings, method):
    settings.PEOPLE_DEV_LOGIN = False
    user = factories.UserFactory()
    response = getattr(client, method)(URL, {"email": user.email})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("dev_login_on")
def test_sign_in_through_the_form_then_call_the_api(csrf_client):
    user = factories.UserFactory(email="agent@example.gouv.fr", name="Agent Smith")
    response = sign_in(csrf_client, "Agent@Example.gouv.fr")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert csrf_client.session["_auth_user_id"] == str(user.pk)
    me = csrf_client.get("/api/v1.0/users/me/")
    assert me.status_code == 200
    assert me.json()["id"] == str(user.pk)
    assert me.json()["email"] == "agent@example.gouv.fr"
    home = csrf_client.get("/")
    assert "Agent Smith" in home.content.decode()


@pytest.mark.usefixtures("dev_login_on")
def test_post_without_csrf_token_is_refused(csrf_client):
    user = factories.UserFactory()
    response = csrf_client.post(URL, {"email": user.email})
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.usefixtures("dev_login_on")
@pytest.mark.parametrize("email", ["nobody@example.gouv.fr", "not an e-mail", "", "a" * 5000 + "@example.com"])
def test_unknown_or_invalid_email_shows_the_form_again(csrf_client, email):
    factories.UserFactory()
    response = sign_in(csrf_client, email)
    assert response.status_code == 400
    assert b'id="email-form"' in response.content
    assert b'role="alert"' in response.content
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.usefixtures("dev_login_on")
def test_inactive_user_cannot_sign_in(csrf_client):
    user = factories.UserFactory(is_active=False)
    assert sign_in(csrf_client, user.email).status_code == 400
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.usefixtures("dev_login_on")
def test_lists_active_users_demo_first_and_searches(client):
    factories.UserFactory(name="Zoé Martin", email="zoe@example.gouv.fr")
    factories.UserFactory(name="Alain Inactif", is_active=False)
    factories.UserFactory(name="Demo User", email="demo@example.com")
    page = client.get(URL).content.decode()
    assert page.index("demo@example.com") < page.index("zoe@example.gouv.fr")
    assert "Alain Inactif" not in page
    found = client.get(URL, {"q": "zoe"}).content.decode()
    assert "zoe@example.gouv.fr" in found
    assert "demo@example.com" not in found
    assert client.get(URL, {"q": "x" * 10_000}).status_code == 200


@pytest.mark.usefixtures("dev_login_on")
def test_other_methods_are_refused(client):
    assert client.put(URL).status_code == 405
