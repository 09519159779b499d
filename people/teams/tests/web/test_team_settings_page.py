"""A team's settings (`teams:settings`): its name, the services it is linked to, its visibility
(owners and administrators, through `services.team_update`); deleting it (`teams:delete`,
owners, through `services.team_delete`)."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.teams.models import Team, TeamRole
from people.teams.tests.web.helpers import audit_entries, part, tag
from tests import factories

pytestmark = pytest.mark.django_db


def url(team) -> str:
    return reverse("teams:settings", args=[team.pk])


@pytest.fixture
def providers(crew):
    docs, visio = factories.ServiceProviderFactory(name="Docs"), factories.ServiceProviderFactory(name="Visio")
    crew.team.organization.service_providers.add(docs, visio)
    return docs, visio


def test_the_form_shows_the_team_as_it_is(client, crew, providers):
    docs, _visio = providers
    crew.team.service_providers.add(docs)
    client.force_login(crew.admin)
    body = client.get(url(crew.team)).content.decode()
    assert f'value="{crew.team.name}"' in tag(body, "id_name")
    assert "checked" in tag(body, "id_service_providers_0")  # Docs, first by name
    assert "checked" not in tag(body, "id_service_providers_1")


def test_renaming_linking_and_visibility(client, crew, providers):
    docs, visio = providers
    client.force_login(crew.admin)
    response = client.post(url(crew.team), {"name": "Renamed", "service_providers": [str(visio.pk)]})
    assert response.status_code == 302
    crew.team.refresh_from_db()
    assert crew.team.name == "Renamed"
    assert list(crew.team.service_providers.all()) == [visio]
    assert crew.team.is_visible_all_services is False
    entry = AuditEntry.objects.get(action="team.update", target_id=str(crew.team.pk))
    assert entry.changes["name"][1] == "Renamed"
    assert "The settings of the team were saved." in client.get(response.url).content.decode()


def test_links_made_by_others_stay(client, crew, providers):
    foreign = factories.ServiceProviderFactory(name="Used elsewhere")
    crew.team.service_providers.add(foreign)
    client.force_login(crew.owner)
    body = client.get(url(crew.team)).content.decode()
    assert "Used elsewhere" not in body
    assert 'id="other-links"' in body
    assert client.post(url(crew.team), {"name": crew.team.name}).status_code == 302
    assert list(crew.team.service_providers.all()) == [foreign]


def test_an_empty_name_is_a_400_and_nothing_changes(client, crew):
    name = crew.team.name
    client.force_login(crew.owner)
    before = audit_entries()
    response = client.post(url(crew.team), {"name": " "})
    assert response.status_code == 400
    assert "This field is required." in part(response.content.decode(), "id_name-desc-error", "</div>")
    crew.team.refresh_from_db()
    assert crew.team.name == name
    assert audit_entries() == before


def test_a_service_refusal_keeps_the_stored_name_in_the_page(client, crew, providers, monkeypatch):
    """The service refuses after it has set the new name on the row it was given: the page
    shows the team as stored."""
    from django.db import transaction

    from people.core.errors import ValidationFailed
    from people.teams import services

    original = services.team_update

    @transaction.atomic
    def refusing(**kwargs):
        original(**kwargs)
        raise ValidationFailed("Refused for the test.")

    monkeypatch.setattr(services, "team_update", refusing)
    name = crew.team.name
    client.force_login(crew.owner)
    response = client.post(url(crew.team), {"name": "Never saved"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Refused for the test." in body
    assert part(body, "team-name", "</h1>") == f">{name}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_is_refused_and_an_outsider_gets_404(client, crew, method):
    name = crew.team.name
    client.force_login(crew.member)
    response = getattr(client, method)(url(crew.team), {"name": "Hijacked"} if method == "post" else {})
    assert response.status_code == 403
    assert "You are not allowed to edit this team." in response.content.decode()
    client.force_login(crew.outsider)
    assert getattr(client, method)(url(crew.team), {"name": "Hijacked"} if method == "post" else {}).status_code == 404
    crew.team.refresh_from_db()
    assert crew.team.name == name


def test_only_owners_see_and_use_the_deletion(client, crew):
    delete = reverse("teams:delete", args=[crew.team.pk])
    client.force_login(crew.admin)
    assert 'id="delete-team"' not in client.get(url(crew.team)).content.decode()
    assert client.get(delete).status_code == 403
    response = client.post(delete)
    assert response.status_code == 403
    assert "Only owners of a team can delete it." in response.content.decode()
    assert Team.objects.filter(pk=crew.team.pk).exists()
    client.force_login(crew.outsider)
    assert client.post(delete).status_code == 404
    assert Team.objects.filter(pk=crew.team.pk).exists()


def test_an_owner_deletes_the_team_and_its_sub_teams(client, crew):
    child = factories.TeamFactory(organization=crew.team.organization, parent=crew.team, users=[(crew.owner, TeamRole.OWNER)])
    delete = reverse("teams:delete", args=[crew.team.pk])
    client.force_login(crew.owner)
    assert 'id="delete-team"' in client.get(url(crew.team)).content.decode()
    question = client.get(delete).content.decode()
    assert f"Delete the team {crew.team.name}?" in question
    assert "its sub-teams are deleted with it" in question
    response = client.post(delete)
    assert response.status_code == 302
    assert response.url == reverse("teams:list")
    assert not Team.objects.filter(pk__in=[crew.team.pk, child.pk]).exists()
    assert AuditEntry.objects.filter(action="team.delete", target_id=str(crew.team.pk), actor=crew.owner).exists()
    assert f"The team {crew.team.name} was deleted." in client.get(response.url).content.decode()


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, crew, providers, django_assert_max_num_queries, rows):
    for number in range(rows):
        factories.TeamAccessFactory(team=crew.team)
        if number < 50:
            crew.team.service_providers.add(factories.ServiceProviderFactory())
    client.force_login(crew.owner)
    with django_assert_max_num_queries(10):
        assert client.get(url(crew.team)).status_code == 200
