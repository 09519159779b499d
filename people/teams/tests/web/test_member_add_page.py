"""Adding a member (`teams:member-add`): the people `GET users/?q=` finds (one's organization,
or anyone by their exact e-mail address; the team's members left out), added with a role:
a colleague through `team_access_create`, anyone else through `invitation_create`."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry, OutboxMessage
from people.teams.models import Invitation, TeamAccess, TeamRole
from people.teams.tests.web.helpers import audit_entries, part, table
from tests import factories

pytestmark = pytest.mark.django_db


def url(team) -> str:
    return reverse("teams:member-add", args=[team.pk])


def test_colleagues_not_yet_members_are_found(client, crew):
    crew.outsider.name = "Hélène Martin"
    crew.outsider.save()
    stranger = factories.UserFactory(name="Hélène Stranger")  # another organization
    client.force_login(crew.admin)
    rows = table(client.get(url(crew.team), {"q": "helene"}).content.decode(), "candidates-table")
    assert "Hélène Martin" in rows
    assert crew.outsider.organization.name in rows
    assert "Hélène Stranger" not in rows  # a partial search stays in one's organization
    assert stranger.email not in rows
    everyone = client.get(url(crew.team)).content.decode()
    assert f'id="candidate-{crew.outsider.pk}"' in everyone
    assert f'id="candidate-{crew.member.pk}"' not in everyone  # members are left out


def test_someone_of_another_organization_by_exact_address_without_their_organization(client, crew):
    stranger = factories.UserFactory(name="Zoé Ailleurs")
    client.force_login(crew.admin)
    rows = table(client.get(url(crew.team), {"q": stranger.email.upper()}).content.decode(), "candidates-table")
    row = part(rows, f"candidate-{stranger.pk}", "</tr>")
    assert "Zoé Ailleurs" in row
    assert "Another organization" in row
    assert stranger.organization.name not in row
    assert f'name="email" value="{stranger.email}"' in row  # added through an invitation to that address


def test_the_roles_offered_are_those_one_may_hand_out(client, crew):
    client.force_login(crew.admin)
    row = part(client.get(url(crew.team)).content.decode(), f"candidate-{crew.outsider.pk}", "</tr>")
    assert '<option value="administrator">' in row
    assert '<option value="owner">' not in row
    client.force_login(crew.owner)
    assert '<option value="owner">' in client.get(url(crew.team)).content.decode()


def test_adding_a_colleague(client, crew):
    client.force_login(crew.admin)
    response = client.post(url(crew.team) + "?q=x", {"user": str(crew.outsider.pk), "role": "administrator"})
    assert response.status_code == 302
    assert response.url == url(crew.team) + "?q=x"
    access = TeamAccess.objects.get(team=crew.team, user=crew.outsider)
    assert access.role == TeamRole.ADMIN
    assert AuditEntry.objects.filter(action="team_access.create", target_id=str(access.pk), actor=crew.admin).exists()
    assert f"{crew.outsider.name} is now a member of the team." in client.get(response.url).content.decode()


def test_adding_someone_of_another_organization_by_their_address(client, crew):
    stranger = factories.UserFactory()
    client.force_login(crew.owner)
    response = client.post(url(crew.team), {"email": stranger.email, "role": "member"})
    assert response.status_code == 302
    assert TeamAccess.objects.filter(team=crew.team, user=stranger, role=TeamRole.MEMBER).exists()
    assert not Invitation.objects.exists()  # an existing account gets the access at once


def test_an_address_nobody_has_is_invited(client, crew):
    client.force_login(crew.owner)
    body = client.get(url(crew.team), {"q": "new.person@example.gouv.fr"}).content.decode()
    assert 'id="invite-unknown"' in body
    response = client.post(url(crew.team), {"email": "new.person@example.gouv.fr", "role": "member"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(team=crew.team)
    assert invitation.email == "new.person@example.gouv.fr"
    assert OutboxMessage.objects.get(pk=invitation.email_outbox_id).recipient == "new.person@example.gouv.fr"
    assert "An invitation was sent to new.person@example.gouv.fr." in client.get(response.url).content.decode()


def test_a_refusal_is_shown_and_changes_nothing(client, crew):
    client.force_login(crew.admin)
    before = audit_entries()
    already = client.post(url(crew.team), {"user": str(crew.member.pk), "role": "member"})
    assert already.status_code == 400
    assert "This user is already a member of the team." in part(already.content.decode(), "messages", "</div>")
    owner = client.post(url(crew.team), {"user": str(crew.outsider.pk), "role": "owner"})
    assert owner.status_code == 403
    assert "Only owners of a team can assign other users as owners." in owner.content.decode()
    assert not TeamAccess.objects.filter(user=crew.outsider).exists()
    assert audit_entries() == before


def test_a_stranger_cannot_be_added_by_id(client, crew):
    stranger = factories.UserFactory()
    client.force_login(crew.owner)
    response = client.post(url(crew.team), {"user": str(stranger.pk), "role": "member"})
    assert response.status_code == 400
    assert "No active user has this id." in response.content.decode()
    assert not TeamAccess.objects.filter(user=stranger).exists()


@pytest.mark.parametrize("data", [{"role": "member"}, {"user": "x", "role": "member"}, {"email": "a@b.fr", "user": "5f0c4e1a-7b2d-4c3e-9a8f-0d1e2f3a4b5c", "role": "member"}, {"email": "a@b.fr", "role": "chief"}],
                         ids=["nobody", "bad-id", "both", "bad-role"])
def test_bad_input_is_a_400(client, crew, data):
    client.force_login(crew.owner)
    assert client.post(url(crew.team), data).status_code == 400
    assert TeamAccess.objects.filter(team=crew.team).count() == 3
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_is_refused_and_an_outsider_gets_404(client, crew, method):
    data = {"user": str(crew.outsider.pk), "role": "member"} if method == "post" else {}
    client.force_login(crew.member)
    assert getattr(client, method)(url(crew.team), data).status_code == 403
    client.force_login(crew.outsider)
    assert getattr(client, method)(url(crew.team), data).status_code == 404
    assert not TeamAccess.objects.filter(user=crew.outsider).exists()


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, crew, django_assert_max_num_queries, rows):
    for _number in range(rows):
        factories.UserFactory(organization=crew.owner.organization)
    client.force_login(crew.owner)
    with django_assert_max_num_queries(10):
        assert client.get(url(crew.team), {"page": "last"}).status_code == 200
