"""POST /resource-server/v1.0/teams/: the service's user creates a team linked to the service."""

import pytest

from people.identity.models import ServiceProvider
from people.teams.models import Team, TeamAccess
from tests.factories import OrganizationFactory, ServiceProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/resource-server/v1.0/teams/"


def test_create_links_team_to_service_and_organization(service):
    user = UserFactory(sub="agent-1")
    other_provider = ServiceProviderFactory(audience_id="service-b")
    response = service.client_for(user, audience="service-a").post(
        URL,
        {"name": "Project", "service_providers": [str(other_provider.pk)], "organization": str(OrganizationFactory().pk)},
        format="json",
    )
    assert response.status_code == 201
    team = Team.objects.get(pk=response.json()["id"])
    assert team.name == "Project"
    assert team.organization_id == user.organization_id
    assert [p.audience_id for p in team.service_providers.all()] == ["service-a"]
    assert team.is_visible_all_services is False
    assert TeamAccess.objects.get(team=team).user == user
    assert TeamAccess.objects.get(team=team).role == "owner"
    assert response.json()["is_visible_all_services"] is False


def test_create_for_an_unknown_service_creates_its_row(service):
    user = UserFactory(sub="agent-1")
    response = service.client_for(user, audience="service-new").post(URL, {"name": "X"}, format="json")
    assert response.status_code == 201
    provider = ServiceProvider.objects.get(audience_id="service-new")
    assert list(provider.teams.values_list("pk", flat=True)) == [Team.objects.get().pk]


def test_created_team_is_invisible_to_another_service(service):
    user = UserFactory(sub="agent-1")
    team_id = service.client_for(user, audience="service-a").post(URL, {"name": "A"}, format="json").json()["id"]
    assert service.client_for(user, audience="service-b").get(f"{URL}{team_id}/").status_code == 404
    assert service.client_for(user, audience="service-a").get(f"{URL}{team_id}/").status_code == 200


def test_create_may_share_with_all_services(service):
    user = UserFactory(sub="agent-1")
    client = service.client_for(user, audience="service-a")
    team_id = client.post(URL, {"name": "All", "is_visible_all_services": True}, format="json").json()["id"]
    assert service.client_for(user, audience="service-b").get(f"{URL}{team_id}/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 101}, {"name": ["a"]}, {"name": "ok", "is_visible_all_services": "maybe"}],
)
def test_bad_input_is_400_and_creates_nothing(service, body):
    response = service.client_for(UserFactory(sub="agent-1")).post(URL, body, format="json")
    assert response.status_code == 400
    assert not Team.objects.exists()


def test_user_without_organization_cannot_create(service):
    response = service.client_for(UserFactory(sub="agent-1", organization=None)).post(URL, {"name": "X"}, format="json")
    assert response.status_code == 400
    assert not Team.objects.exists()


def test_team_creation_feature_off_is_403(service, settings):
    settings.FEATURES = {**settings.FEATURES, "TEAMS_CREATE": False}
    response = service.client_for(UserFactory(sub="agent-1")).post(URL, {"name": "X"}, format="json")
    assert response.status_code == 403
    assert not Team.objects.exists()
