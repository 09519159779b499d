"""GET/POST /api/v1.0/logout/ and GET /api/v1.0/logout-callback/."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import UserFactory

from .conftest import CLIENT_ID, END_SESSION_URL

pytestmark = pytest.mark.django_db

LOGOUT = "/api/v1.0/logout/"
CALLBACK = "/api/v1.0/logout-callback/"


@pytest.fixture
def signed_in(client, op_settings):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()
    return user


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_logout_redirects_to_the_provider_and_keeps_the_session(client, signed_in):
    response = client.get(LOGOUT)
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == END_SESSION_URL
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert params["id_token_hint"] == "the.id.token"
    assert params["client_id"] == CLIENT_ID
    assert params["post_logout_redirect_uri"] == "http://testserver/api/v1.0/logout-callback/"
    assert params["state"] == client.session["oidc_logout_state"]
    assert is_signed_in(client)


def test_callback_with_the_state_ends_the_session(client, signed_in):
    client.get(LOGOUT)
    state = client.session["oidc_logout_state"]
    response = client.get(CALLBACK, {"state": state})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not is_signed_in(client)


@pytest.mark.parametrize("state", ["forged", "x" * 5000, "é"])
def test_wrong_state_is_refused_and_keeps_the_session(client, signed_in, state):
    client.get(LOGOUT)
    response = client.get(CALLBACK, {"state": state})
    assert response.status_code == 400
    assert "<h1>Sign-out refused</h1>" in response.content.decode()
    assert is_signed_in(client)


def test_callback_before_any_logout_request_is_refused(client, signed_in):
    assert client.get(CALLBACK, {"state": "anything"}).status_code == 400
    assert is_signed_in(client)


def test_callback_without_state_is_a_local_logout(client, signed_in):
    response = client.get(CALLBACK)
    assert response["Location"] == "/"
    assert not is_signed_in(client)


def test_callback_when_anonymous(client, op_settings):
    assert client.get(CALLBACK, {"state": "whatever"})["Location"] == "/"


def test_without_id_token_the_logout_is_local(client, op_settings):
    client.force_login(UserFactory())
    response = client.get(LOGOUT)
    assert response["Location"] == "/"
    assert not is_signed_in(client)


def test_without_end_session_endpoint_the_logout_is_local(client, signed_in, op_settings):
    op_settings.OIDC_OP_LOGOUT_ENDPOINT = None
    assert client.get(LOGOUT)["Location"] == "/"
    assert not is_signed_in(client)


def test_anonymous_logout(client, op_settings):
    assert client.get(LOGOUT)["Location"] == "/"


def test_logout_redirect_url_setting(client, op_settings):
    op_settings.LOGOUT_REDIRECT_URL = "https://front.example.fr/bye"
    assert client.get(LOGOUT)["Location"] == "https://front.example.fr/bye"


def test_post_needs_csrf(signed_in, op_settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(signed_in)
    assert strict.post(LOGOUT).status_code == 403


def test_post_logout(client, signed_in):
    assert client.post(LOGOUT)["Location"].startswith(END_SESSION_URL)


def test_put_is_405(client, op_settings):
    assert client.put(LOGOUT).status_code == 405
    assert client.post(CALLBACK).status_code == 405
