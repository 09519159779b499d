"""A team's page (`teams:detail`): its members with their role and organization, and what the
agent may do to each, changing a role and removing a member (POST to the page), or leaving.
Every write goes through the services; a refusal shows their reason and changes nothing."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.teams.models import TeamAccess, TeamRole
from people.teams.tests.web.helpers import audit_entries, part, table
from tests import factories

pytestmark = pytest.mark.django_db


def url(team) -> str:
    return reverse("teams:detail", args=[team.pk])


def access_of(crew, user) -> TeamAccess:
    return TeamAccess.objects.get(team=crew.team, user=user)


def test_members_with_their_role_and_organization(client, crew):
    client.force_login(crew.member)
    rows = table(client.get(url(crew.team)).content.decode())
    for user, label in ((crew.owner, "Owner"), (crew.admin, "Administrator"), (crew.member, "Member")):
        row = part(rows, f"member-{access_of(crew, user).pk}", "</tr>")
        assert user.name in row
        assert user.email in row
        assert user.organization.name in row
        assert label in row


def test_a_member_sees_no_management_control(client, crew):
    client.force_login(crew.member)
    body = client.get(url(crew.team)).content.decode()
    assert 'id="member-add-link"' not in body
    assert 'name="role"' not in body
    assert "/remove/" not in table(body)  # no removal of anyone else
    assert "team-nav-settings" not in body
    assert 'id="leave-trigger"' in body  # anyone may leave


def test_an_administrator_is_offered_only_the_roles_they_may_set(client, crew):
    client.force_login(crew.admin)
    body = client.get(url(crew.team)).content.decode()
    member_row = part(body, f"member-{access_of(crew, crew.member).pk}", "</tr>")
    assert '<option value="administrator">' in member_row
    assert '<option value="owner">' not in member_row  # only owners hand out the owner role
    assert f"/members/{access_of(crew, crew.member).pk}/remove/" in member_row
    owner_row = part(body, f"member-{access_of(crew, crew.owner).pk}", "</tr>")
    assert "<select" not in owner_row  # an owner's role is theirs to change
    assert "/remove/" not in owner_row


def test_changing_a_role_goes_through_the_service(client, crew):
    access = access_of(crew, crew.member)
    client.force_login(crew.owner)
    response = client.post(url(crew.team) + "?ordering=role", {"action": "role", "access": str(access.pk), "role": "administrator"})
    assert response.status_code == 302
    assert response.url == url(crew.team) + "?ordering=role"  # back where the agent was
    access.refresh_from_db()
    assert access.role == TeamRole.ADMIN
    entry = AuditEntry.objects.get(action="team_access.update", target_id=str(access.pk))
    assert entry.actor == crew.owner
    assert f"{crew.member.name} is now administrator of the team." in client.get(response.url).content.decode()


def test_a_role_above_ones_own_is_refused_with_the_reason(client, crew):
    access = access_of(crew, crew.member)
    before = audit_entries()
    client.force_login(crew.admin)
    response = client.post(url(crew.team), {"action": "role", "access": str(access.pk), "role": "owner"})
    assert response.status_code == 403
    assert "Only owners of a team can assign other users as owners." in response.content.decode()
    access.refresh_from_db()
    assert access.role == TeamRole.MEMBER
    assert audit_entries() == before


def test_the_last_owner_cannot_step_down_and_reads_why(client, crew):
    access = access_of(crew, crew.owner)
    client.force_login(crew.owner)
    before = audit_entries()
    response = client.post(url(crew.team), {"action": "role", "access": str(access.pk), "role": "member"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "A team must keep at least one owner: add another owner first." in part(body, "messages", "</div>")
    assert 'id="results"' in body  # the members are shown again, not a broken page
    access.refresh_from_db()
    assert access.role == TeamRole.OWNER
    assert audit_entries() == before


def test_the_last_owner_cannot_leave_and_reads_why_in_french(client, crew):
    crew.owner.language = "fr-fr"
    crew.owner.save()
    access = access_of(crew, crew.owner)
    client.force_login(crew.owner)
    response = client.post(url(crew.team), {"action": "remove", "access": str(access.pk)})
    assert response.status_code == 400
    assert "Une équipe garde au moins un propriétaire : ajoutez d’abord un autre propriétaire." in response.content.decode()
    assert TeamAccess.objects.filter(pk=access.pk).exists()


def test_removing_a_member(client, crew):
    access = access_of(crew, crew.member)
    client.force_login(crew.admin)
    response = client.post(url(crew.team), {"action": "remove", "access": str(access.pk)})
    assert response.status_code == 302
    assert not TeamAccess.objects.filter(pk=access.pk).exists()
    assert AuditEntry.objects.filter(action="team_access.delete", target_id=str(access.pk), actor=crew.admin).exists()
    assert f"{crew.member.name} was removed from the team." in client.get(response.url).content.decode()


def test_leaving_the_team(client, crew):
    access = access_of(crew, crew.member)
    client.force_login(crew.member)
    response = client.post(url(crew.team), {"action": "remove", "access": str(access.pk)})
    assert response.status_code == 302
    assert response.url == reverse("teams:list")
    assert not TeamAccess.objects.filter(pk=access.pk).exists()


@pytest.mark.parametrize("action", ["role", "remove"])
def test_a_member_posting_directly_is_refused_and_nothing_changes(client, crew, action):
    access = access_of(crew, crew.admin)
    before = audit_entries()
    client.force_login(crew.member)
    response = client.post(url(crew.team), {"action": action, "access": str(access.pk), "role": "member"})
    assert response.status_code == 403
    assert "You are not allowed to manage accesses for this team." in response.content.decode()
    access.refresh_from_db()
    assert access.role == TeamRole.ADMIN
    assert audit_entries() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_team_one_may_not_see_is_404(client, crew, method):
    client.force_login(crew.outsider)
    data = {"action": "remove", "access": str(access_of(crew, crew.member).pk)} if method == "post" else {}
    assert getattr(client, method)(url(crew.team), data).status_code == 404
    assert TeamAccess.objects.filter(team=crew.team).count() == 3
    assert client.get("/teams/not-an-id/").status_code == 404


def test_an_access_of_another_team_is_404(client, crew):
    other = factories.TeamAccessFactory()
    client.force_login(crew.owner)
    assert client.post(url(crew.team), {"action": "remove", "access": str(other.pk)}).status_code == 404
    assert TeamAccess.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    "data", [{"action": "role", "access": "x", "role": "member"}, {"action": "role", "role": "boss"}, {"action": "fly"}],
    ids=["bad-id", "bad-role", "unknown-action"],
)
def test_bad_input_is_a_400(client, crew, data):
    client.force_login(crew.owner)
    if "access" not in data:
        data = {**data, "access": str(access_of(crew, crew.member).pk)}
    assert client.post(url(crew.team), data).status_code == 400
    assert access_of(crew, crew.member).role == TeamRole.MEMBER


def test_a_parent_team_shows_no_members_to_a_sub_team_member(client):
    user = factories.UserFactory()
    parent = factories.TeamFactory(organization=user.organization, users=[factories.UserFactory(organization=user.organization)])
    factories.TeamFactory(organization=user.organization, parent=parent, users=[user])
    client.force_login(user)
    body = client.get(url(parent)).content.decode()
    assert 'id="members-hidden"' in body
    assert 'id="results"' not in body
    assert 'id="leave-trigger"' not in body


def test_the_removal_question_without_javascript(client, crew):
    access = access_of(crew, crew.member)
    client.force_login(crew.admin)
    confirm = reverse("teams:member-remove", args=[crew.team.pk, access.pk])
    body = client.get(confirm).content.decode()
    assert f"Remove {crew.member.name} from the team?" in body
    assert f'<form method="post" action="{url(crew.team)}" id="confirm-form">' in body
    assert f'<input type="hidden" name="access" value="{access.pk}">' in body
    client.force_login(crew.member)
    others = reverse("teams:member-remove", args=[crew.team.pk, access_of(crew, crew.admin).pk])
    assert client.get(others).status_code == 403  # a member may not remove others
    assert "Leave the team" in client.get(confirm).content.decode()  # but leaves


def test_the_members_search_ignores_accents(client, crew):
    crew.member.name = "Élodie Durand"
    crew.member.save()
    client.force_login(crew.owner)
    rows = table(client.get(url(crew.team), {"q": "elodie"}).content.decode())
    assert "Élodie Durand" in rows
    assert crew.admin.name not in rows


def test_htmx_gets_the_members_for_a_search_and_the_page_for_a_role_change(client, crew):
    access = access_of(crew, crew.member)
    client.force_login(crew.owner)
    searched = client.get(url(crew.team), {"q": "a"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").content.decode()
    assert "<main" not in searched
    assert 'id="results"' in searched
    changed = client.post(url(crew.team), {"action": "role", "access": str(access.pk), "role": "administrator"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="content", follow=True)
    assert changed.status_code == 200
    body = changed.content.decode()
    assert 'id="content"' in body  # what the role form's hx-select takes
    assert "is now administrator of the team." in part(body, "content")


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, rows):
    owner = factories.UserFactory()
    parent = factories.TeamFactory(organization=owner.organization)
    team = factories.TeamFactory(organization=owner.organization, parent=parent, users=[(owner, TeamRole.OWNER)])
    other = factories.OrganizationFactory()
    for number in range(rows):
        factories.TeamAccessFactory(team=team, user=factories.UserFactory(organization=other if number % 2 else owner.organization))
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        assert client.get(url(team), {"page": "last"}).status_code == 200
