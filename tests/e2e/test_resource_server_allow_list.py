"""A real, valid service token opens no route outside the resource server's allow-list.

Same walk of the URL conf as `people/resource_server/tests/test_url_allow_list.py`, with an
access token the real provider issued to `service-a` for a known user: the client API (which may
accept bearer tokens of People's own clients) must not take a service's token for a sign-in.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework.views import APIView

from people.resource_server.authentication import is_open_to_services
from people.resource_server.tests.peer import bearer, configure
from people.resource_server.tests.test_url_allow_list import walk
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def test_service_token_opens_nothing_outside_the_allow_list(settings, oidc_provider):
    configure(settings, oidc_provider, client_id="people-rs", fmt="json")
    for name, value in oidc_provider.django_settings("people").items():
        setattr(settings, name, value)
    alice = UserFactory(sub="alice", email="alice.martin@ministere.example.gouv.fr")
    team = TeamFactory(users=[(alice, "owner")], is_visible_all_services=True)
    token = oidc_provider.tokens_for("service-a", login="alice")["access_token"]
    with_token, anonymous = bearer(APIClient(), token), APIClient()
    assert with_token.get("/resource-server/v1.0/users/me/").status_code == 200  # the token is valid

    ids = {"team_id": str(team.pk), "pk": str(team.pk), "id": str(team.pk), "object_id": str(alice.pk)}
    checked = []
    for path, view_class, _callback in walk(ids):
        if is_open_to_services(view_class) or view_class is None or not issubclass(view_class, APIView):
            continue
        for method in ("get", "post", "patch", "delete"):
            expected = getattr(anonymous, method)(path).status_code
            got = getattr(with_token, method)(path).status_code
            assert got in (expected, 401), f"{method.upper()} {path}: {got} with a service token, {expected} without"
            checked.append(path)
    assert "/api/v1.0/users/me/" in checked
