"""GET /api/v1.0/teams/{team_id}/accesses/: members see the team's accesses with their abilities."""

import pytest

from people.teams.models import TeamRole
from tests.factories import UNKNOWN_ID, TeamAccessFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/accesses/"


def test_member_lists_accesses_with_nested_user(client_for, crew):
    response = client_for(crew.member).get(url(crew.team.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    # Default ordering: role ascending.
    assert [row["role"] for row in body["results"]] == ["administrator", "member", "owner"]
    owner_row = body["results"][2]
    assert owner_row["user"] == {"id": str(crew.owner.pk), "email": crew.owner.email, "name": crew.owner.name}
    assert owner_row["abilities"] == {"get": True, "patch": False, "put": False, "delete": False, "set_role_to": []}


def test_abilities_follow_the_caller_role(client_for, crew):
    rows = {row["role"]: row for row in client_for(crew.owner).get(url(crew.team.pk)).json()["results"]}
    assert rows["member"]["abilities"]["set_role_to"] == ["owner", "administrator"]
    assert rows["administrator"]["abilities"]["set_role_to"] == ["owner", "member"]
    # The only owner can neither leave nor step down.
    assert rows["owner"]["abilities"] == {"get": True, "patch": False, "put": False, "delete": False, "set_role_to": []}
    rows = {row["role"]: row for row in client_for(crew.admin).get(url(crew.team.pk)).json()["results"]}
    assert rows["member"]["abilities"]["set_role_to"] == ["administrator"]
    assert rows["member"]["abilities"]["delete"] is True
    assert rows["owner"]["abilities"]["delete"] is False


def test_owner_may_step_down_when_another_owner_exists(client_for, crew):
    TeamAccessFactory(team=crew.team, role=TeamRole.OWNER)
    rows = client_for(crew.owner).get(url(crew.team.pk)).json()["results"]
    mine = next(row for row in rows if row["user"]["id"] == str(crew.owner.pk))
    other = next(row for row in rows if row["role"] == "owner" and row["user"]["id"] != str(crew.owner.pk))
    assert mine["abilities"]["set_role_to"] == ["administrator", "member"]
    assert mine["abilities"]["delete"] is True
    assert other["abilities"]["set_role_to"] == []
    assert other["abilities"]["delete"] is False


def test_search_by_name_or_email(client_for, crew):
    crew.member.name = "Hélène Dupré"
    crew.member.save()
    client = client_for(crew.owner)
    rows = client.get(url(crew.team.pk), {"q": "helene dupre"}).json()["results"]
    assert [row["user"]["id"] for row in rows] == [str(crew.member.pk)]
    rows = client.get(url(crew.team.pk), {"q": crew.admin.email.upper()}).json()["results"]
    assert [row["user"]["id"] for row in rows] == [str(crew.admin.pk)]


def test_ordering_by_email(client_for, crew):
    client = client_for(crew.owner)
    rows = client.get(url(crew.team.pk), {"ordering": "-user__email"}).json()["results"]
    emails = [row["user"]["email"] for row in rows]
    assert emails == sorted(emails, reverse=True)
    assert client.get(url(crew.team.pk), {"ordering": "user__password"}).status_code == 200


def test_ancestor_only_viewer_gets_an_empty_page(client_for, crew):
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    response = client_for(crew.outsider).get(url(crew.team.pk))
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("team_id", ["nope", UNKNOWN_ID], ids=["malformed", "unknown"])
def test_unknown_team_is_404(client_for, crew, team_id):
    assert client_for(crew.owner).get(url(team_id)).status_code == 404


def test_invisible_team_is_404(client_for, crew):
    assert client_for(crew.outsider).get(url(crew.team.pk)).status_code == 404
    assert client_for(UserFactory()).get(url(crew.team.pk)).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_is_constant(client_for, django_assert_max_num_queries, rows):
    owner = UserFactory()
    team = TeamFactory(organization=owner.organization, users=[(owner, TeamRole.OWNER)])
    for _ in range(rows - 1):
        TeamAccessFactory(team=team)
    client = client_for(owner)
    # The session and its user; the team with the caller's role, its owner and member counts
    # (the page's count when nothing is searched); the page.
    with django_assert_max_num_queries(4):
        response = client.get(url(team.pk), {"page_size": 100})
    assert len(response.json()["results"]) == response.json()["count"] == rows
    # A search counts what it matches: one query more.
    with django_assert_max_num_queries(5):
        response = client.get(url(team.pk), {"page_size": 100, "q": owner.email})
    assert response.json()["count"] == 1


def test_anonymous_gets_401(anonymous, crew):
    response = anonymous.get(url(crew.team.pk))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writes_on_the_collection_are_405(client_for, crew, method):
    response = getattr(client_for(crew.owner), method)(url(crew.team.pk), {"role": "member"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("serializer", ["TeamAccessSerializer", "TeamAccessCreatedSerializer"])
@pytest.mark.parametrize("actor_role", [TeamRole.OWNER, TeamRole.ADMIN, TeamRole.MEMBER])
def test_the_written_out_access_is_the_one_the_fields_describe(serializer, actor_role):
    """The access serializers write their answer out for speed: it stays what DRF makes of the
    declared fields (the schema), key for key and in order."""
    import json

    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    from people.teams.api import serializers as shapes

    actor, other = UserFactory(), UserFactory()
    team = TeamFactory(users=[(actor, actor_role), (other, TeamRole.OWNER)])
    context = {"actor_role": actor_role, "owner_count": 1 + (actor_role == TeamRole.OWNER), "actor_id": actor.pk,
               "detail": "a note"}
    for access in team.accesses.select_related("user"):
        instance = getattr(shapes, serializer)(access, context=context)
        written_out = json.loads(JSONRenderer().render(instance.data))
        described = json.loads(JSONRenderer().render(serializers.ModelSerializer.to_representation(instance, access)))
        assert written_out == described
        assert list(written_out) == list(described)
