"""PUT/PATCH /resource-server/v1.0/teams/{id}/ (and no DELETE through this API)."""

import pytest

from people.teams.models import Team
from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(team_id):
    return f"/resource-server/v1.0/teams/{team_id}/"


def _team(user, role, audience="service-a"):
    team = TeamFactory(users=[(user, role)], name="Before")
    team.service_providers.add(ServiceProviderFactory(audience_id=audience))
    return team


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_owner_and_administrator_may_rename(service, role):
    user = UserFactory(sub="agent-1")
    team = _team(user, role)
    response = service.client_for(user).patch(_url(team.pk), {"name": "After"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "After"
    team.refresh_from_db()
    assert team.name == "After"


def test_put_needs_the_name(service):
    user = UserFactory(sub="agent-1")
    team = _team(user, "owner")
    client = service.client_for(user)
    assert client.put(_url(team.pk), {"is_visible_all_services": True}, format="json").status_code == 400
    response = client.put(_url(team.pk), {"name": "New", "is_visible_all_services": True}, format="json")
    assert response.status_code == 200
    team.refresh_from_db()
    assert (team.name, team.is_visible_all_services) == ("New", True)


def test_member_gets_403(service):
    user = UserFactory(sub="agent-1")
    team = _team(user, "member")
    assert service.client_for(user).patch(_url(team.pk), {"name": "After"}, format="json").status_code == 403
    team.refresh_from_db()
    assert team.name == "Before"


def test_team_of_another_service_is_404(service):
    user = UserFactory(sub="agent-1")
    team = _team(user, "owner", audience="service-b")
    assert service.client_for(user).patch(_url(team.pk), {"name": "After"}, format="json").status_code == 404
    team.refresh_from_db()
    assert team.name == "Before"


def test_service_providers_cannot_be_changed_through_a_service(service):
    user = UserFactory(sub="agent-1")
    team = _team(user, "owner")
    other = ServiceProviderFactory(audience_id="service-b")
    client = service.client_for(user)
    assert client.patch(_url(team.pk), {"service_providers": [str(other.pk)]}, format="json").status_code == 200
    assert [p.audience_id for p in team.service_providers.all()] == ["service-a"]


def test_delete_is_not_offered(service):
    user = UserFactory(sub="agent-1")
    team = _team(user, "owner")
    assert service.client_for(user).delete(_url(team.pk)).status_code == 405
    assert Team.objects.filter(pk=team.pk).exists()
