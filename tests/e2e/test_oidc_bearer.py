"""The client API is session-only: a real access token of the provider opens nothing there.

Service tokens are accepted only by the views opened to them (the resource server); the client
API must not take a token for a sign-in, even one the provider issued to People itself.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def test_access_token_does_not_open_the_client_api(people_oidc):
    login = people_oidc.new_account(email="tool@example.fr", given_name="Tina", usual_name="Tool")
    tokens = people_oidc.provider.tokens_for("people", login=login, scope="openid email profile")
    me = requests.get(
        people_oidc.url("/api/v1.0/users/me/"), headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    assert me.status_code == 401
    assert me.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_forged_token_is_refused(people_oidc):
    me = requests.get(people_oidc.url("/api/v1.0/users/me/"), headers={"Authorization": "Bearer forged"}, timeout=10)
    assert me.status_code == 401
