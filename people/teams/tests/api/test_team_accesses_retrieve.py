"""GET /api/v1.0/teams/{team_id}/accesses/{id}/: members only; anyone else gets a 404."""

import pytest

from tests.factories import UNKNOWN_ID, TeamAccessFactory, TeamFactory

pytestmark = pytest.mark.django_db


def url(team_id, access_id):
    return f"/api/v1.0/teams/{team_id}/accesses/{access_id}/"


def test_member_retrieves_an_access(client_for, crew):
    access = crew.team.accesses.get(user=crew.admin)
    response = client_for(crew.member).get(url(crew.team.pk, access.pk))
    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(crew.admin.pk)
    assert response.json()["role"] == "administrator"
    assert response.json()["abilities"]["get"] is True


def test_ancestor_only_viewer_and_outsider_get_404(client_for, crew):
    access = crew.team.accesses.get(user=crew.admin)
    assert client_for(crew.outsider).get(url(crew.team.pk, access.pk)).status_code == 404
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    assert client_for(crew.outsider).get(url(crew.team.pk, access.pk)).status_code == 404


def test_access_of_another_team_is_404(client_for, crew):
    foreign = TeamAccessFactory()
    response = client_for(crew.owner).get(url(crew.team.pk, foreign.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "No TeamAccess matches the given query."


@pytest.mark.parametrize("access_id", ["zzz", UNKNOWN_ID, "1"], ids=["malformed", "unknown", "integer"])
def test_bad_ids_are_404(client_for, crew, access_id):
    assert client_for(crew.owner).get(url(crew.team.pk, access_id)).status_code == 404
    assert client_for(crew.owner).get(url("zzz", access_id)).status_code == 404


def test_anonymous_gets_401(anonymous, crew):
    access = crew.team.accesses.get(user=crew.member)
    response = anonymous.get(url(crew.team.pk, access.pk))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_post_on_an_access_is_405(client_for, crew):
    access = crew.team.accesses.get(user=crew.member)
    assert client_for(crew.owner).post(url(crew.team.pk, access.pk), {"role": "owner"}, format="json").status_code == 405
