"""GET /api/v1.0/teams/{team_id}/invitations/: members see the team's invitations, newest first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people.teams.models import TeamRole
from tests.factories import InvitationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/invitations/"


@pytest.mark.parametrize("who", ["owner", "admin", "member"])
def test_members_list_newest_first_expired_included(client_for, crew, who):
    old = InvitationFactory(team=crew.team, expires_at=timezone.now() - timedelta(days=1))
    new = InvitationFactory(team=crew.team)
    InvitationFactory()  # another team
    response = client_for(getattr(crew, who)).get(url(crew.team.pk))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(new.pk), str(old.pk)]
    assert rows[1]["is_expired"] is True
    assert rows[0]["is_expired"] is False
    assert set(rows[0]) == {"id", "created_at", "email", "team", "role", "issuer", "is_expired", "expires_at", "delivery"}
    assert rows[0]["team"] == str(crew.team.pk)


def test_ancestor_only_viewer_gets_an_empty_page(client_for, crew):
    InvitationFactory(team=crew.team)
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    response = client_for(crew.outsider).get(url(crew.team.pk))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_outsiders_and_bad_ids_get_404(client_for, crew):
    assert client_for(crew.outsider).get(url(crew.team.pk)).status_code == 404
    assert client_for(crew.owner).get(url("nope")).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_is_constant(client_for, django_assert_max_num_queries, rows):
    owner = UserFactory()
    team = TeamFactory(organization=owner.organization, users=[(owner, TeamRole.OWNER)])
    InvitationFactory.create_batch(rows, team=team, issuer=owner)
    client = client_for(owner)
    with django_assert_max_num_queries(5):
        response = client.get(url(team.pk), {"page_size": 100})
    assert len(response.json()["results"]) == rows


def test_anonymous_gets_401(anonymous, crew):
    response = anonymous.get(url(crew.team.pk))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writes_on_the_collection_are_405(client_for, crew, method):
    response = getattr(client_for(crew.owner), method)(url(crew.team.pk), {"email": "a@example.fr"}, format="json")
    assert response.status_code == 405
