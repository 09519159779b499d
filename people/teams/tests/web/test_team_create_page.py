"""Creating a team (`teams:create`) through `services.team_create`: a name, a parent among the
teams one administers, services among those one's organization may use, the visibility."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.teams.models import Team, TeamAccess, TeamRole
from people.teams.tests.web.helpers import audit_entries, part, tag
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("teams:create")


@pytest.fixture
def agent():
    user = factories.UserFactory()
    provider = factories.ServiceProviderFactory(name="Docs")
    user.organization.service_providers.add(provider)
    return user


def test_the_form_offers_administered_parents_and_usable_services(client, agent):
    administered = factories.TeamFactory(name="Administered", organization=agent.organization, users=[(agent, TeamRole.ADMIN)])
    factories.TeamFactory(name="Only a member", organization=agent.organization, users=[agent])
    factories.ServiceProviderFactory(name="Not for this organization")
    client.force_login(agent)
    body = client.get(URL, {"parent": str(administered.pk)}).content.decode()
    parent_select = part(body, "id_parent", "</select>")
    assert f'<option value="{administered.pk}" selected>Administered</option>' in parent_select
    assert "Only a member" not in parent_select
    assert "Docs" in body
    assert "Not for this organization" not in body
    assert "checked" in tag(body, "id_is_visible_all_services")  # visible to all, as through the API


def test_creating_a_team_makes_the_agent_its_owner_with_an_audit_entry(client, agent):
    provider = agent.organization.service_providers.get()
    client.force_login(agent)
    response = client.post(URL, {"name": "  Équipe Alpha ", "service_providers": [str(provider.pk)]})
    team = Team.objects.get(name="Équipe Alpha")
    assert response.status_code == 302
    assert response.url == reverse("teams:detail", args=[team.pk])
    assert TeamAccess.objects.get(team=team).user == agent
    assert TeamAccess.objects.get(team=team).role == TeamRole.OWNER
    assert list(team.service_providers.all()) == [provider]
    assert team.is_visible_all_services is False  # the box was left unticked
    assert AuditEntry.objects.filter(action="team.create", target_id=str(team.pk), actor=agent).exists()
    assert "The team was created." in client.get(response.url).content.decode()


def test_a_sub_team_of_an_administered_team(client, agent):
    parent = factories.TeamFactory(organization=agent.organization, users=[(agent, TeamRole.OWNER)])
    client.force_login(agent)
    response = client.post(URL, {"name": "Child", "parent": str(parent.pk), "is_visible_all_services": "on"})
    child = Team.objects.get(name="Child")
    assert response.status_code == 302
    assert child.parent == parent
    assert child.is_visible_all_services is True


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "x" * 101}, "name", "Ensure this value has at most 100 characters"),
        ({"name": "Forged", "parent": "5f0c4e1a-7b2d-4c3e-9a8f-0d1e2f3a4b5c"}, "parent", "Select a valid choice."),
        ({"name": "Forged", "service_providers": ["5f0c4e1a-7b2d-4c3e-9a8f-0d1e2f3a4b5c"]}, "service_providers", "Select a valid choice."),
    ],
    ids=["blank", "too-long", "unknown-parent", "unknown-service"],
)
def test_bad_input_is_a_400_with_the_error_next_to_its_field_and_nothing_created(client, agent, data, field, message):
    client.force_login(agent)
    before = audit_entries()
    response = client.post(URL, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in part(body, f"id_{field}-desc-error", "</div>")
    assert not Team.objects.exists()
    assert audit_entries() == before


def test_a_parent_one_only_belongs_to_is_the_services_refusal(client, agent):
    """A parent the agent may see but not administer never reaches the form's choices; posted
    all the same, the form refuses it before the service would (403 there)."""
    member_of = factories.TeamFactory(organization=agent.organization, users=[agent])
    client.force_login(agent)
    response = client.post(URL, {"name": "Child", "parent": str(member_of.pk)})
    assert response.status_code == 400
    assert Team.objects.count() == 1


def test_without_the_right_to_create_teams_the_page_is_refused(client, agent, settings):
    settings.FEATURES = {**settings.FEATURES, "TEAMS_CREATE": False}
    client.force_login(agent)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"name": "Refused"})
    assert response.status_code == 403
    assert "You are not allowed to create teams." in response.content.decode()
    assert not Team.objects.exists()


def test_the_service_refusal_shows_in_french(client, agent, settings):
    agent.language = "fr-fr"
    agent.save()
    settings.FEATURES = {**settings.FEATURES, "TEAMS_CREATE": False}
    client.force_login(agent)
    assert "Vous n’avez pas le droit de créer des équipes." in client.post(URL, {"name": "x"}).content.decode()


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, agent, django_assert_max_num_queries, rows):
    for number in range(rows):
        factories.TeamFactory(name=f"Team {number:03}", organization=agent.organization, users=[(agent, TeamRole.ADMIN)])
    client.force_login(agent)
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200
