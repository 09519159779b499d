"""PUT/PATCH /api/v1.0/teams/{id}/: owners and administrators only."""

import uuid

import pytest

from people.core.models import AuditEntry
from people.teams import services
from people.teams.models import Team
from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/"


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_rename_and_change_services(client_for, crew, who):
    provider = ServiceProviderFactory()
    crew.team.organization.service_providers.add(provider)
    response = client_for(getattr(crew, who)).put(
        url(crew.team.pk),
        {"name": "Renamed", "is_visible_all_services": True, "service_providers": [str(provider.pk)]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    crew.team.refresh_from_db()
    assert crew.team.name == "Renamed"
    assert crew.team.is_visible_all_services is True
    assert list(crew.team.service_providers.all()) == [provider]
    assert response.json()["name"] == "Renamed"
    entry = AuditEntry.objects.get(action="team.update")
    assert entry.changes["name"][1] == "Renamed"
    assert entry.changes["service_providers"] == [[], [str(provider.pk)]]


def test_patch_changes_only_what_is_sent(client_for, crew):
    provider = ServiceProviderFactory()
    crew.team.service_providers.add(provider)
    old_name = crew.team.name
    response = client_for(crew.owner).patch(url(crew.team.pk), {"is_visible_all_services": True}, format="json")
    assert response.status_code == 200
    crew.team.refresh_from_db()
    assert crew.team.name == old_name
    assert list(crew.team.service_providers.all()) == [provider]


def test_provider_the_organization_may_not_use_is_refused_like_an_unknown_one(client_for, crew):
    hidden = ServiceProviderFactory()  # exists, but not linked to the team's organization
    client = client_for(crew.owner)
    refused = client.patch(url(crew.team.pk), {"service_providers": [str(hidden.pk)]}, format="json")
    missing = str(uuid.uuid4())
    unknown = client.patch(url(crew.team.pk), {"service_providers": [missing]}, format="json")
    assert refused.status_code == unknown.status_code == 400
    assert refused.json() == {"service_providers": [services.UNUSABLE_PROVIDERS.format(ids=hidden.pk)]}
    assert unknown.json() == {"service_providers": [services.UNUSABLE_PROVIDERS.format(ids=missing)]}
    assert not crew.team.service_providers.exists()
    assert not AuditEntry.objects.filter(action="team.update").exists()


def test_links_to_providers_the_editor_cannot_see_are_kept(client_for, crew):
    usable, other_usable = ServiceProviderFactory(), ServiceProviderFactory()
    crew.team.organization.service_providers.add(usable, other_usable)
    hidden = ServiceProviderFactory()  # linked by an operator or another service
    crew.team.service_providers.add(usable, hidden)
    client = client_for(crew.admin)
    response = client.patch(url(crew.team.pk), {"service_providers": [str(other_usable.pk)]}, format="json")
    assert response.status_code == 200, response.json()
    assert set(crew.team.service_providers.all()) == {other_usable, hidden}
    assert set(response.json()["service_providers"]) == {str(other_usable.pk), str(hidden.pk)}
    entry = AuditEntry.objects.get(action="team.update")
    assert entry.changes["service_providers"] == [
        sorted([str(usable.pk), str(hidden.pk)]), sorted([str(other_usable.pk), str(hidden.pk)])
    ]
    # Sending back what the team shows (a read-modify-write) is accepted and changes nothing.
    shown = response.json()["service_providers"]
    assert client.patch(url(crew.team.pk), {"service_providers": shown}, format="json").status_code == 200
    assert client.patch(url(crew.team.pk), {"service_providers": []}, format="json").status_code == 200
    assert list(crew.team.service_providers.all()) == [hidden]


def test_put_needs_the_name(client_for, crew):
    response = client_for(crew.owner).put(url(crew.team.pk), {"is_visible_all_services": True}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_no_change_writes_no_audit_entry(client_for, crew):
    response = client_for(crew.owner).patch(url(crew.team.pk), {"name": crew.team.name}, format="json")
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="team.update").exists()


def test_read_only_fields_are_ignored(client_for, crew):
    path = crew.team.path
    response = client_for(crew.owner).patch(url(crew.team.pk), {"path": "zzzzz", "depth": 9}, format="json")
    assert response.status_code == 200
    crew.team.refresh_from_db()
    assert crew.team.path == path
    assert crew.team.depth == 1


def test_member_gets_403(client_for, crew):
    response = client_for(crew.member).patch(url(crew.team.pk), {"name": "X"}, format="json")
    assert response.status_code == 403
    assert Team.objects.get().name != "X"


def test_ancestor_only_viewer_gets_403(client_for, crew):
    child = TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    assert child.depth == 2
    response = client_for(crew.outsider).patch(url(crew.team.pk), {"name": "X"}, format="json")
    assert response.status_code == 403


def test_outsider_and_bad_ids_get_404(client_for, crew):
    client = client_for(crew.outsider)
    assert client.patch(url(crew.team.pk), {"name": "X"}, format="json").status_code == 404
    assert client.patch(url("nope"), {"name": "X"}, format="json").status_code == 404
    assert client_for(UserFactory()).put(url(crew.team.pk), {"name": "X"}, format="json").status_code == 404


@pytest.mark.parametrize("body", [{"name": ""}, {"name": {"a": 1}}, {"service_providers": [1, 2]}])
def test_bad_input_is_a_400(client_for, crew, body):
    response = client_for(crew.owner).patch(url(crew.team.pk), body, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["put", "patch"])
def test_anonymous_gets_401_and_nothing_changes(anonymous, method):
    team = TeamFactory(name="Old")
    response = getattr(anonymous, method)(url(team.pk), {"name": "New"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    team.refresh_from_db()
    assert team.name == "Old"
