"""GET /api/v1.0/teams/: the caller's teams and their ancestors; a plain array unless a page is asked."""

import json

import pytest

from people.core.api import pagination
from people.teams.models import TeamRole
from tests.factories import (
    OrganizationFactory,
    ServiceProviderFactory,
    TeamAccessFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/teams/"


def test_anonymous_gets_401(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_lists_only_teams_with_an_access(client_for):
    user = UserFactory()
    mine = TeamFactory(organization=user.organization, users=[(user, TeamRole.ADMIN)])
    TeamFactory(organization=user.organization)  # same organization, no access
    TeamFactory()  # elsewhere
    response = client_for(user).get(URL)
    assert response.status_code == 200
    [row] = response.json()
    assert row["id"] == str(mine.pk)
    assert row["role"] == "administrator"
    assert row["member_count"] == 1
    assert row["abilities"] == {"get": True, "patch": True, "put": True, "delete": False, "manage_accesses": True}
    assert set(row) >= {
        "id", "name", "abilities", "accesses", "created_at", "updated_at", "depth", "path", "numchild",
        "is_visible_all_services", "service_providers", "role", "member_count",
    }
    assert row["accesses"] == [str(mine.accesses.get().pk)]


def test_ancestors_in_own_organization_are_visible_but_not_children(client_for):
    user = UserFactory()
    root = TeamFactory(organization=user.organization, users=[UserFactory()])
    middle = TeamFactory(organization=user.organization, parent=root)
    leaf = TeamFactory(organization=user.organization, parent=middle, users=[user])
    TeamFactory(organization=user.organization, parent=leaf)  # child of mine: hidden
    response = client_for(user).get(URL, {"ordering": "path"})
    rows = response.json()
    assert [row["id"] for row in rows] == [str(root.pk), str(middle.pk), str(leaf.pk)]
    ancestor = rows[0]
    assert ancestor["role"] is None
    assert ancestor["abilities"] == {"get": True, "patch": False, "put": False, "delete": False, "manage_accesses": False}
    # Ancestor-only viewers do not learn who is in the team.
    assert ancestor["accesses"] == []
    assert rows[0]["numchild"] == 1
    assert rows[1]["depth"] == 2


def test_ancestors_of_another_organization_stay_hidden(client_for):
    user = UserFactory()
    foreign_root = TeamFactory(organization=OrganizationFactory())
    child = TeamFactory(organization=user.organization, parent=foreign_root, users=[user])
    response = client_for(user).get(URL)
    assert [row["id"] for row in response.json()] == [str(child.pk)]


def test_search_is_accent_and_case_insensitive(client_for):
    user = UserFactory()
    wanted = TeamFactory(name="Équipe Réseaux", organization=user.organization, users=[user])
    TeamFactory(name="Finances", organization=user.organization, users=[user])
    response = client_for(user).get(URL, {"q": "equipe RESEAU"})
    assert [row["id"] for row in response.json()] == [str(wanted.pk)]


def test_ordering_default_and_by_name_and_unknown_fields_ignored(client_for):
    user = UserFactory()
    first = TeamFactory(name="B", organization=user.organization, users=[user])
    second = TeamFactory(name="A", organization=user.organization, users=[user])
    client = client_for(user)
    ids = [row["id"] for row in client.get(URL).json()]
    assert ids == [str(second.pk), str(first.pk)]  # newest first
    ids = [row["id"] for row in client.get(URL, {"ordering": "name"}).json()]
    assert ids == [str(second.pk), str(first.pk)]
    ids = [row["id"] for row in client.get(URL, {"ordering": "-name"}).json()]
    assert ids == [str(first.pk), str(second.pk)]
    response = client.get(URL, {"ordering": "organization__name,password"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [str(second.pk), str(first.pk)]


def test_page_size_is_honoured_and_clamped(client_for):
    user = UserFactory()
    for _ in range(3):
        TeamFactory(organization=user.organization, users=[user])
    client = client_for(user)
    body = client.get(URL, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    assert client.get(URL, {"page_size": 1000}).status_code == 200
    assert client.get(URL, {"page": 9}).status_code == 404


@pytest.mark.parametrize("params", [{"ordering": ","}, {"ordering": "x" * 10000}, {"ordering": "name\x00"}])
def test_odd_query_parameters_never_fail(client_for, params):
    user = UserFactory()
    TeamFactory(organization=user.organization, users=[user])
    assert client_for(user).get(URL, params).status_code == 200


def test_service_providers_are_listed(client_for):
    user = UserFactory()
    provider = ServiceProviderFactory()
    team = TeamFactory(organization=user.organization, users=[user])
    team.service_providers.add(provider)
    [row] = client_for(user).get(URL).json()
    assert row["service_providers"] == [str(provider.pk)]


def test_plain_array_without_page_and_envelope_with_either_parameter(client_for):
    """The suite's web client reads this list as an array; page-aware callers get the envelope."""
    user = UserFactory()
    teams = [TeamFactory(organization=user.organization, users=[user]) for _ in range(3)]
    client = client_for(user)
    response = client.get(URL, {"q": "", "ordering": "created_at"})
    assert [row["id"] for row in response.json()] == [str(team.pk) for team in teams]
    assert "X-Truncated" not in response.headers
    for params in ({"page": 1}, {"page_size": 2}, {"page": 2, "page_size": 2}):
        body = client.get(URL, {**params, "ordering": "created_at"}).json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [str(teams[2].pk)]


def test_plain_array_is_capped_and_says_so(client_for, monkeypatch):
    monkeypatch.setattr(pagination, "ARRAY_MAX_ROWS", 3)
    user = UserFactory()
    teams = [TeamFactory(organization=user.organization, users=[user]) for _ in range(4)]
    client = client_for(user)
    response = client.get(URL, {"ordering": "created_at"})
    assert [row["id"] for row in response.json()] == [str(team.pk) for team in teams[:3]]
    assert response.headers["X-Truncated"] == "true"
    assert client.get(URL, {"page_size": 4}).json()["count"] == 4
    teams[3].delete()
    response = client.get(URL)
    assert len(response.json()) == 3
    assert "X-Truncated" not in response.headers


@pytest.mark.parametrize("params", [{}, {"page_size": 100}])
@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_is_constant(client_for, django_assert_max_num_queries, rows, params):
    user = UserFactory()
    provider = ServiceProviderFactory()
    for _ in range(rows):
        team = TeamFactory(organization=user.organization, users=[user, UserFactory()])
        team.service_providers.add(provider)
        TeamAccessFactory(team=team)
    client = client_for(user)
    with django_assert_max_num_queries(6):
        response = client.get(URL, params)
    body = response.json()
    assert len(body["results"] if params else body) == rows


@pytest.mark.parametrize("role", [TeamRole.OWNER, TeamRole.MEMBER, None])
def test_the_written_out_team_is_the_one_the_fields_describe(role, rf):
    """TeamSerializer writes its answer out for speed: it stays what DRF makes of the declared
    fields (the schema), key for key and in order, for members and for ancestor-only rows."""
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    from people.teams import selectors
    from people.teams.api.client.serializers import TeamSerializer

    user = UserFactory()
    parent = TeamFactory(organization=user.organization, users=[UserFactory()])
    child = TeamFactory(organization=user.organization, parent=parent, users=[(user, TeamRole.MEMBER), UserFactory()])
    target = parent if role is None else child
    if role == TeamRole.OWNER:
        child.accesses.filter(user=user).update(role=TeamRole.OWNER)
    target.service_providers.set([ServiceProviderFactory(name="b"), ServiceProviderFactory(name="a")])
    team = selectors.with_related_ids(selectors.team_list_visible_to(user=user)).get(pk=target.pk)
    serializer = TeamSerializer(team)
    written_out = json.loads(JSONRenderer().render(serializer.data))
    described = json.loads(JSONRenderer().render(serializers.ModelSerializer.to_representation(serializer, team)))
    assert written_out == described
    assert list(written_out) == list(described)
    assert (written_out["accesses"] == []) == (role is None)
