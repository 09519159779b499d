"""DELETE /api/v1.0/teams/{id}/: owners only."""

import pytest

from people.core.models import AuditEntry
from people.teams.models import Team, TeamAccess
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/"


def test_owner_deletes_the_team_and_its_subteams(client_for, crew):
    child = TeamFactory(organization=crew.team.organization, parent=crew.team)
    response = client_for(crew.owner).delete(url(crew.team.pk))
    assert response.status_code == 204
    assert not Team.objects.filter(pk__in=[crew.team.pk, child.pk]).exists()
    assert not TeamAccess.objects.exists()
    entry = AuditEntry.objects.get(action="team.delete")
    assert entry.target_id == str(crew.team.pk)
    assert entry.changes["descendants"] == 1


@pytest.mark.parametrize("who", ["admin", "member"])
def test_other_members_get_403(client_for, crew, who):
    response = client_for(getattr(crew, who)).delete(url(crew.team.pk))
    assert response.status_code == 403
    assert Team.objects.filter(pk=crew.team.pk).exists()


def test_outsiders_and_bad_ids_get_404(client_for, crew):
    assert client_for(crew.outsider).delete(url(crew.team.pk)).status_code == 404
    assert client_for(UserFactory()).delete(url(crew.team.pk)).status_code == 404
    assert client_for(crew.owner).delete(url("x.y")).status_code == 404
    assert client_for(crew.owner).delete(url("not-a-uuid")).status_code == 404
    assert Team.objects.filter(pk=crew.team.pk).exists()


def test_anonymous_gets_401_and_nothing_is_deleted(anonymous):
    team = TeamFactory()
    response = anonymous.delete(url(team.pk))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Team.objects.filter(pk=team.pk).exists()
