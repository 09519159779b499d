"""GET /resource-server/v1.0/teams/{id}/."""

import pytest

from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(team_id):
    return f"/resource-server/v1.0/teams/{team_id}/"


def test_retrieve_a_team_of_the_service(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[user])
    team.service_providers.add(ServiceProviderFactory(audience_id="service-a"))
    response = service.client_for(user).get(_url(team.pk))
    assert response.status_code == 200
    assert response.json()["id"] == str(team.pk)


def test_team_of_another_service_is_404(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[user])
    team.service_providers.add(ServiceProviderFactory(audience_id="service-a"))
    assert service.client_for(user, audience="service-b").get(_url(team.pk)).status_code == 404


def test_team_of_someone_else_is_404(service):
    team = TeamFactory(is_visible_all_services=True)
    assert service.client_for(UserFactory(sub="agent-1")).get(_url(team.pk)).status_code == 404


@pytest.mark.parametrize("team_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-000000000000"])
def test_bad_or_unknown_ids_are_404(service, team_id):
    assert service.client_for(UserFactory(sub="agent-1")).get(_url(team_id)).status_code == 404
