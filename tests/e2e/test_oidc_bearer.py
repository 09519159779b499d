"""A real access token of the provider opens the client API (first-party tools)."""

from __future__ import annotations

import pytest
import requests

from people.identity.models import User

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def test_access_token_from_the_provider(people_oidc):
    login = people_oidc.new_account(email="tool@example.fr", given_name="Tina", usual_name="Tool")
    tokens = people_oidc.provider.tokens_for("people", login=login, scope="openid email profile")
    me = requests.get(
        people_oidc.url("/api/v1.0/users/me/"), headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    assert me.status_code == 200
    assert me.json()["email"] == "tool@example.fr"
    assert User.objects.get(sub=login).name == "Tina Tool"


def test_forged_token_is_refused(people_oidc):
    me = requests.get(people_oidc.url("/api/v1.0/users/me/"), headers={"Authorization": "Bearer forged"}, timeout=10)
    assert me.status_code == 401
