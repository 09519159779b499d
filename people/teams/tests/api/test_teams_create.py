"""POST /api/v1.0/teams/: the caller becomes owner; the organization is always the caller's."""

import pytest
from django.db import connection

from people.core.models import AuditEntry
from people.teams import services
from people.teams.models import Team, TeamAccess, TeamRole
from tests.factories import (
    UNKNOWN_ID,
    OrganizationFactory,
    ServiceProviderFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/teams/"


def test_creates_a_root_team_owned_by_the_caller(client_for):
    user = UserFactory()
    response = client_for(user).post(URL, {"name": "  Réseaux  "}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    team = Team.objects.get(pk=body["id"])
    assert team.name == "Réseaux"
    assert team.organization == user.organization
    assert team.depth == 1
    assert body["depth"] == 1
    assert team.is_visible_all_services is True
    assert body["is_visible_all_services"] is True
    access = TeamAccess.objects.get(team=team)
    assert (access.user, access.role) == (user, TeamRole.OWNER)
    assert body["role"] == "owner"
    assert body["member_count"] == 1
    assert body["accesses"] == [str(access.pk)]
    assert body["abilities"]["delete"] is True
    entry = AuditEntry.objects.get(action="team.create")
    assert entry.target_id == str(team.pk)
    assert entry.actor == user


def test_organization_in_the_body_is_ignored(client_for):
    user = UserFactory()
    other = OrganizationFactory()
    response = client_for(user).post(URL, {"name": "T", "organization": str(other.pk)}, format="json")
    assert response.status_code == 201
    assert Team.objects.get().organization == user.organization


def test_service_providers_and_visibility(client_for):
    user = UserFactory()
    provider = ServiceProviderFactory()
    user.organization.service_providers.add(provider)
    response = client_for(user).post(
        URL, {"name": "T", "service_providers": [str(provider.pk)], "is_visible_all_services": False}, format="json"
    )
    assert response.status_code == 201
    team = Team.objects.get()
    assert list(team.service_providers.all()) == [provider]
    assert team.is_visible_all_services is False
    assert response.json()["service_providers"] == [str(provider.pk)]


def test_provider_the_organization_may_not_use_is_refused_like_an_unknown_one(client_for):
    user = UserFactory()
    usable, hidden = ServiceProviderFactory(), ServiceProviderFactory()
    user.organization.service_providers.add(usable)
    client = client_for(user)
    response = client.post(URL, {"name": "T", "service_providers": [str(usable.pk), str(hidden.pk)]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"service_providers": [services.UNUSABLE_PROVIDERS.format(ids=hidden.pk)]}
    assert not Team.objects.exists()


def test_child_team_under_a_team_the_caller_administers(client_for):
    user = UserFactory()
    parent = TeamFactory(organization=user.organization, users=[(user, TeamRole.ADMIN)])
    response = client_for(user).post(URL, {"name": "Child", "parent": str(parent.pk)}, format="json")
    assert response.status_code == 201
    child = Team.objects.get(pk=response.json()["id"])
    assert child.parent == parent
    assert child.depth == 2
    assert child.path.startswith(parent.path)
    assert response.json()["parent"] == str(parent.pk)


def test_child_team_refused_to_a_plain_member(client_for):
    user = UserFactory()
    parent = TeamFactory(organization=user.organization, users=[user])
    response = client_for(user).post(URL, {"name": "Child", "parent": str(parent.pk)}, format="json")
    assert response.status_code == 403
    assert Team.objects.count() == 1


@pytest.mark.parametrize("parent", ["not-a-uuid", UNKNOWN_ID, 12], ids=["malformed", "unknown", "integer"])
def test_unknown_parent_is_a_field_error(client_for, parent):
    user = UserFactory()
    response = client_for(user).post(URL, {"name": "Child", "parent": parent}, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Team.objects.exists()


def test_invisible_parent_is_a_field_error(client_for):
    user = UserFactory()
    hidden = TeamFactory(organization=user.organization)
    response = client_for(user).post(URL, {"name": "Child", "parent": str(hidden.pk)}, format="json")
    assert response.status_code == 400
    assert Team.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": ["a"]}, "name"),
        ({"name": "T", "is_visible_all_services": "maybe"}, "is_visible_all_services"),
        ({"name": "T", "service_providers": "abc"}, "service_providers"),
        ({"name": "T", "service_providers": ["abc"]}, "service_providers"),
        ({"name": "T", "service_providers": [UNKNOWN_ID]}, "service_providers"),
    ],
)
def test_bad_input_is_a_400_and_creates_nothing(client_for, body, field):
    response = client_for(UserFactory()).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Team.objects.exists()


def test_malformed_json_is_a_400(client_for):
    response = client_for(UserFactory()).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_feature_switch_off_gives_403(client_for, settings):
    settings.FEATURES = {**settings.FEATURES, "TEAMS_CREATE": False}
    response = client_for(UserFactory()).post(URL, {"name": "T"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Team.objects.exists()


def test_display_off_still_lets_team_administrators_create(client_for, settings):
    settings.FEATURES = {**settings.FEATURES, "TEAMS_DISPLAY": False}
    admin = UserFactory()
    TeamFactory(organization=admin.organization, users=[(admin, TeamRole.ADMIN)])
    assert client_for(admin).post(URL, {"name": "T"}, format="json").status_code == 201
    assert client_for(UserFactory()).post(URL, {"name": "T"}, format="json").status_code == 403


def test_user_without_organization_gets_a_400(client_for):
    user = UserFactory(organization=None)
    response = client_for(user).post(URL, {"name": "T"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_organization"


@pytest.mark.parametrize("raw", ["[]", '"name"', "null", "123", '[{"name": "T"}]'])
def test_non_object_bodies_are_a_400(client_for, raw):
    response = client_for(UserFactory()).post(URL, raw, content_type="application/json")
    assert response.status_code == 400
    assert not Team.objects.exists()


def test_anonymous_gets_401_and_nothing_is_created(anonymous):
    response = anonymous.post(URL, {"name": "Team"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not Team.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writes_on_the_collection_are_405(client_for, method):
    response = getattr(client_for(UserFactory()), method)(URL, {"name": "Team"}, format="json")
    assert response.status_code == 405
    assert not Team.objects.exists()


@pytest.mark.parametrize("providers", [0, 3])
def test_query_count(client_for, django_assert_max_num_queries, providers, settings):
    """The session and its user; the root lock (PostgreSQL; SQLite has none, so its insert
    has a savepoint for a retry instead), the last sibling's path, the insert, the links, the
    owner's access, the audit entry (inside the test's transaction, the service's own
    savepoint too); then the answer read as a later GET reads it: the team, then its
    members' and services' ids in one query."""
    settings.FEATURES = {**settings.FEATURES, "TEAMS_DISPLAY": True, "TEAMS_CREATE": True}
    user = UserFactory()
    linked = [ServiceProviderFactory() for _ in range(providers)]
    user.organization.service_providers.set(linked)
    client = client_for(user)
    body = {"name": "Docs", "service_providers": [str(provider.pk) for provider in linked]}
    retry_savepoint = 0 if connection.vendor == "postgresql" else 1
    with django_assert_max_num_queries((14 if providers else 11) + retry_savepoint):
        response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert client.get(f"{URL}{response.json()['id']}/").json() == response.json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's target is PostgreSQL's")
def test_creation_in_at_most_eight_statements_as_the_bench_counts_them(client_for, django_assert_max_num_queries, settings):
    """The bench's target: `POST teams/` in 8 statements or fewer on PostgreSQL, outside a test's
    transaction (no savepoints), counting the statements it executes: neither the session's row
    (the bench keeps it cached) nor the transaction's BEGIN and COMMIT."""
    settings.FEATURES = {**settings.FEATURES, "TEAMS_DISPLAY": True, "TEAMS_CREATE": True}
    client = client_for(UserFactory())
    with django_assert_max_num_queries(11) as captured:
        response = client.post(URL, {"name": "Docs"}, format="json")
    assert response.status_code == 201, response.json()
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if "SAVEPOINT" in sql], statements
    executed = [sql for sql in statements if "django_session" not in sql and sql not in ("BEGIN", "COMMIT")]
    assert len(executed) <= 8, executed
