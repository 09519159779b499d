"""Admin of teams: creation with an owner, frozen tree place, the last-owner rule."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.teams.models import Team, TeamAccess
from tests import factories

pytestmark = pytest.mark.django_db


def test_create_team_with_owner_under_a_parent(client, operator):
    parent = factories.TeamFactory()
    owner = factories.UserFactory(organization=parent.organization)
    response = client.post(reverse("admin:teams_team_add"), {
        "name": "Sub team", "organization": str(parent.organization_id), "parent": str(parent.pk),
        "owner": str(owner.pk), "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    team = Team.objects.get(name="Sub team")
    assert team.path.startswith(parent.path)
    assert team.depth == parent.depth + 1
    assert TeamAccess.objects.get(team=team).user == owner
    assert AuditEntry.objects.get(action="team.create", target_id=str(team.pk)).audience == "operator"


def test_parent_of_another_organization_is_refused(client, operator):
    parent = factories.TeamFactory()
    other = factories.OrganizationFactory()
    response = client.post(reverse("admin:teams_team_add"), {
        "name": "Wrong", "organization": str(other.pk), "parent": str(parent.pk),
        "owner": str(operator.pk), "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Team.objects.filter(name="Wrong").exists()


def test_rename_keeps_place_in_tree(client, operator):
    team = factories.TeamFactory(name="Old")
    other = factories.TeamFactory()
    url = reverse("admin:teams_team_change", args=[team.pk])
    response = client.post(url, {
        "name": "New", "parent": str(other.pk), "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    team.refresh_from_db()
    assert team.name == "New"
    assert team.parent is None  # read-only once created
    entry = AuditEntry.objects.get(action="team.update", target_id=str(team.pk))
    assert entry.changes["name"] == ["Old", "New"]


def test_last_owner_can_be_neither_demoted_nor_deleted(client, operator):
    user = factories.UserFactory()
    team = factories.TeamFactory(users=[(user, "owner")])
    access = TeamAccess.objects.get(team=team)
    change = reverse("admin:teams_teamaccess_change", args=[access.pk])
    response = client.post(change, {"role": "member"})
    assert response.status_code == 200
    assert "at least one owner" in str(response.context["adminform"].form.non_field_errors())
    assert client.post(reverse("admin:teams_teamaccess_delete", args=[access.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:teams_teamaccess_changelist"), {
        "action": "delete_selected", "_selected_action": [str(access.pk)], "post": "yes",
    })
    access.refresh_from_db()
    assert access.role == "owner"


def test_one_of_two_owners_can_go(client, operator):
    first, second = factories.UserFactory.create_batch(2)
    team = factories.TeamFactory(users=[(first, "owner"), (second, "owner")])
    accesses = list(TeamAccess.objects.filter(team=team))
    response = client.post(reverse("admin:teams_teamaccess_changelist"), {
        "action": "delete_selected", "_selected_action": [str(a.pk) for a in accesses], "post": "yes",
    }, follow=True)
    assert response.status_code == 200
    assert TeamAccess.objects.filter(team=team).count() == 1  # the second one stays
    assert AuditEntry.objects.filter(action="team_access.delete", audience="operator", actor=operator).count() == 1
    remaining = TeamAccess.objects.get(team=team)
    response = client.post(reverse("admin:teams_teamaccess_change", args=[remaining.pk]), {"role": "administrator"})
    assert response.status_code == 200


def test_service_provider_change_is_audited_with_ids(client, operator):
    team = factories.TeamFactory(name="Linked")
    provider = factories.ServiceProviderFactory()
    response = client.post(reverse("admin:teams_team_change", args=[team.pk]), {
        "name": "Linked", "service_providers": [str(provider.pk)],
        "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(team.service_providers.all()) == [provider]
    entry = AuditEntry.objects.get(action="team.update", target_id=str(team.pk))
    assert entry.changes == {"service_providers": [[], [str(provider.pk)]]}
