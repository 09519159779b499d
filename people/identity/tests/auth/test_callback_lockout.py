"""The lockout of repeated password failures (django-axes) guards the password sign-in only:
the OpenID Connect callback carries no password, so it is neither counted nor refused, even from
an address or for an account that is locked out; nor is the development sign-in."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from people.identity.models import User
from tests.factories import UserFactory

from .test_callback import CALLBACK, provider_answers, start

pytestmark = pytest.mark.django_db


def lock_out(client, settings, email: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": email, "password": "wrong"})
    assert client.post("/admin/login/", {"username": email, "password": "wrong"}).status_code == 429
    assert AccessAttempt.objects.exists()


def test_sign_in_through_the_provider_works_from_a_locked_out_address_and_account(client, settings, fake_op):
    UserFactory(sub="sub-1", email="ana@example.fr")
    lock_out(client, settings, "ana@example.fr")
    params = start(client)
    provider_answers(fake_op, params)
    response = client.get(CALLBACK, {"code": "code-1", "state": params["state"]})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get(sub="sub-1").pk)


def test_refused_provider_sign_ins_are_not_counted(client, settings, fake_op):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        params = start(client)
        provider_answers(fake_op, params, token_status=400)
        response = client.get(CALLBACK, {"code": "bad", "state": params["state"]})
        assert response.status_code == 302
        assert "login-failure" in response["Location"]
    assert not AccessAttempt.objects.exists()
    params = start(client)
    provider_answers(fake_op, params)
    assert client.get(CALLBACK, {"code": "code-1", "state": params["state"]})["Location"] == "/"
    assert "_auth_user_id" in client.session


def test_development_sign_in_works_from_a_locked_out_address(client, settings):
    settings.PEOPLE_DEV_LOGIN = True
    user = UserFactory(email="dev@example.fr")
    lock_out(client, settings, "dev@example.fr")
    response = client.post("/dev/login/", {"email": user.email})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
