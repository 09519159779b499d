"""The admin writes teams and accesses through the services, as an operator."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.teams.models import Team, TeamAccess, TeamRole
from tests import factories

pytestmark = pytest.mark.django_db


def test_team_creation_is_the_service_with_the_operator_as_actor(client, operator):
    organization = factories.OrganizationFactory()
    owner = factories.UserFactory(organization=organization)
    response = client.post(reverse("admin:teams_team_add"), {
        "name": "Root", "organization": str(organization.pk), "owner": str(owner.pk),
        "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    team = Team.objects.get(name="Root")
    assert (team.organization, team.depth) == (organization, 1)
    assert TeamAccess.objects.get(team=team).user == owner
    entry = AuditEntry.objects.get(action="team.create")
    assert (entry.actor, entry.audience, entry.changes["owner"]) == (operator, "operator", str(owner.pk))


def test_team_creation_without_an_owner_is_a_form_error(client, operator):
    response = client.post(reverse("admin:teams_team_add"), {
        "name": "Orphan", "organization": str(factories.OrganizationFactory().pk),
        "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert not Team.objects.exists()


def test_rename_is_audited_by_the_service(client, operator):
    team = factories.TeamFactory(name="Old")
    response = client.post(reverse("admin:teams_team_change", args=[team.pk]), {
        "name": "New", "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="team.update")
    assert (entry.actor, entry.audience, entry.changes["name"]) == (operator, "operator", ["Old", "New"])


def test_adding_an_access_twice_is_a_form_error(client, operator):
    user = factories.UserFactory()
    team = factories.TeamFactory(users=[(user, "owner")])
    newcomer = factories.UserFactory()
    url = reverse("admin:teams_teamaccess_add")
    data = {"team": str(team.pk), "user": str(newcomer.pk), "role": "owner"}
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="team_access.create")
    assert (entry.actor, entry.audience) == (operator, "operator")
    response = client.post(url, {**data, "role": "member"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert TeamAccess.objects.get(team=team, user=newcomer).role == TeamRole.OWNER


def test_operator_demotes_one_of_two_owners(client, operator):
    first, second = factories.UserFactory.create_batch(2)
    team = factories.TeamFactory(users=[(first, "owner"), (second, "owner")])
    access = TeamAccess.objects.get(team=team, user=first)
    response = client.post(reverse("admin:teams_teamaccess_change", args=[access.pk]), {"role": "member"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    access.refresh_from_db()
    assert access.role == TeamRole.MEMBER
    assert AuditEntry.objects.get(action="team_access.update").changes == {"role": ["owner", "member"]}


def test_bulk_delete_across_teams_keeps_an_owner_in_each(client, operator):
    teams = [factories.TeamFactory(users=[(u, "owner") for u in factories.UserFactory.create_batch(2)]) for _ in range(2)]
    accesses = TeamAccess.objects.filter(team__in=teams)
    response = client.post(reverse("admin:teams_teamaccess_changelist"), {
        "action": "delete_selected", "_selected_action": [str(a.pk) for a in accesses], "post": "yes",
    }, follow=True)
    assert response.status_code == 200
    for team in teams:
        assert TeamAccess.objects.filter(team=team, role=TeamRole.OWNER).count() == 1
    assert "at least one owner" in response.content.decode()


def test_team_delete_goes_through_the_service(client, operator):
    team = factories.TeamFactory()
    child = factories.TeamFactory(parent=team)
    response = client.post(reverse("admin:teams_team_changelist"), {
        "action": "delete_selected", "_selected_action": [str(team.pk), str(child.pk)], "post": "yes",
    })
    assert response.status_code == 302
    assert not Team.objects.filter(pk__in=[team.pk, child.pk]).exists()
    entry = AuditEntry.objects.get(action="team.delete", target_id=str(team.pk))
    assert (entry.actor, entry.audience) == (operator, "operator")
