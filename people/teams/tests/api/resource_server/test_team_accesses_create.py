"""POST /resource-server/v1.0/teams/{team_id}/accesses/ with `Authorization: ApiKey <key>`."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from people.core.models import AuditEntry
from people.identity.models import User
from people.resource_server.services import account_service_create
from people.teams.models import Invitation, TeamAccess
from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

SCOPE = "team-accesses:create"


def _url(team_id):
    return f"/resource-server/v1.0/teams/{team_id}/accesses/"


def _client(scopes=(SCOPE,), **kwargs):
    _account, key = account_service_create(actor=None, name="Docs", scopes=scopes, **kwargs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    return client


def test_existing_user_by_sub_gets_the_access():
    user = UserFactory(sub="agent-1")
    team = TeamFactory()
    response = _client().post(_url(team.pk), {"sub": "agent-1", "role": "administrator"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["user"]["id"], body["role"]) == ("access", str(user.pk), "administrator")
    assert TeamAccess.objects.filter(team=team, user=user, role="administrator").exists()
    entry = AuditEntry.objects.get(action="team_access.create")
    assert (entry.audience, entry.service, entry.actor_id) == ("service", "account-service:Docs", None)


def test_existing_user_by_email_gets_the_access_and_no_duplicate():
    user = UserFactory(sub="old-sub", email="ada@example.gouv.fr")
    team = TeamFactory()
    before = User.objects.count()
    response = _client().post(_url(team.pk), {"sub": "new-sub", "email": "Ada@Example.gouv.fr"}, format="json")
    assert response.status_code == 201
    assert TeamAccess.objects.filter(team=team, user=user).exists()
    assert User.objects.count() == before


def test_unknown_email_is_invited_and_notified(django_capture_on_commit_callbacks):
    team = TeamFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client().post(_url(team.pk), {"email": "new@example.gouv.fr"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "invitation"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.team, invitation.issuer) == ("new@example.gouv.fr", team, None)
    assert [message.to for message in mail.outbox] == [["new@example.gouv.fr"]]
    assert not User.objects.filter(email="new@example.gouv.fr").exists()


def test_unknown_sub_without_email_is_400():
    team = TeamFactory()
    response = _client().post(_url(team.pk), {"sub": "nobody"}, format="json")
    assert response.status_code == 400
    assert not TeamAccess.objects.exists()


def test_already_member_is_400():
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[user])
    assert _client().post(_url(team.pk), {"sub": "agent-1"}, format="json").status_code == 400
    assert TeamAccess.objects.count() == 1


def test_deactivated_user_is_400():
    UserFactory(sub="agent-1", is_active=False)
    team = TeamFactory()
    assert _client().post(_url(team.pk), {"sub": "agent-1"}, format="json").status_code == 400
    assert not TeamAccess.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"email": "nope"}, {"sub": ""}, {"sub": "a", "role": "king"}, {"sub": "x" * 300}, ["sub"]]
)
def test_bad_input_is_400(body):
    team = TeamFactory()
    assert _client().post(_url(team.pk), body, format="json").status_code == 400
    assert not TeamAccess.objects.exists()


@pytest.mark.parametrize("team_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_unknown_team_is_404(team_id):
    UserFactory(sub="agent-1")
    assert _client().post(_url(team_id), {"sub": "agent-1"}, format="json").status_code == 404


def test_key_limited_to_a_service_reaches_only_its_teams():
    UserFactory(sub="agent-1")
    provider = ServiceProviderFactory(audience_id="docs")
    client = _client(service_provider=provider)
    assert client.post(_url(TeamFactory(is_visible_all_services=True).pk), {"sub": "agent-1"}, format="json").status_code == 404
    linked = TeamFactory()
    linked.service_providers.add(provider)
    assert client.post(_url(linked.pk), {"sub": "agent-1"}, format="json").status_code == 201


@pytest.mark.parametrize("unusable", [{"expires_at": "past"}, {"is_active": False}])
def test_expired_or_deactivated_key_is_401(unusable):
    from datetime import timedelta

    from django.utils import timezone

    UserFactory(sub="agent-1")
    account, key = account_service_create(actor=None, name="Docs", scopes=[SCOPE])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    team = TeamFactory()
    assert client.post(_url(team.pk), {"sub": "agent-1"}, format="json").status_code == 201
    TeamAccess.objects.all().delete()
    if unusable.get("expires_at") == "past":
        account.expires_at = timezone.now() - timedelta(seconds=1)
    else:
        account.is_active = False
    account.save()
    response = client.post(_url(team.pk), {"sub": "agent-1"}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"
    assert not TeamAccess.objects.exists()


def test_missing_scope_is_403():
    UserFactory(sub="agent-1")
    assert _client(scopes=()).post(_url(TeamFactory().pk), {"sub": "agent-1"}, format="json").status_code == 403


@pytest.mark.parametrize("header", [None, "ApiKey wrong", "ApiKey", "Bearer some-service-token-xxxxxxxx"])
def test_missing_or_wrong_credentials_are_401(header, rs_settings):
    UserFactory(sub="agent-1")
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(_url(TeamFactory().pk), {"sub": "agent-1"}, format="json")
    assert response.status_code == 401
    assert not TeamAccess.objects.exists()


def test_session_is_refused():
    user = UserFactory(sub="agent-1", is_staff=True, is_superuser=True)
    client = APIClient()
    client.force_login(user)
    assert client.post(_url(TeamFactory().pk), {"sub": "agent-1"}, format="json").status_code == 401


def test_api_key_does_not_open_other_endpoints():
    UserFactory(sub="agent-1")
    client = _client()
    assert client.get("/resource-server/v1.0/users/me/").status_code == 401
    assert client.get("/api/v1.0/teams/").status_code == 401
