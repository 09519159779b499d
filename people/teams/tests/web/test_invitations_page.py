"""A team's invitations (`teams:invitations`): the list with expiry and the e-mail's delivery,
and, for those who manage the team, inviting by e-mail, sending again and cancelling."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.teams.models import Invitation, TeamAccess, TeamRole
from people.teams.tests.web.helpers import audit_entries, part, table
from tests import factories

pytestmark = pytest.mark.django_db


def url(team) -> str:
    return reverse("teams:invitations", args=[team.pk])


def test_invitations_with_expiry_and_delivery(client, crew):
    sent = factories.InvitationFactory(team=crew.team, email="sent@example.gouv.fr")
    sent.email_outbox = OutboxMessage.objects.create(kind="teams.invitation_email", status=OutboxStatus.DELIVERED)
    sent.save()
    failed = factories.InvitationFactory(team=crew.team, email="failed@example.gouv.fr",
                                         expires_at=timezone.now() - timedelta(days=1))
    failed.email_outbox = OutboxMessage.objects.create(
        kind="teams.invitation_email", status=OutboxStatus.FAILED, last_error="PermanentError: mailbox unknown"
    )
    failed.save()
    client.force_login(crew.member)
    rows = table(client.get(url(crew.team)).content.decode(), "invitations")
    sent_row = part(rows, f"invitation-{sent.pk}", "</tr>")
    assert "Sent" in sent_row
    assert "Expired" not in sent_row
    failed_row = part(rows, f"invitation-{failed.pk}", "</tr>")
    assert "Not delivered" in failed_row
    assert "mailbox unknown" in failed_row
    assert "Expired" in failed_row


def test_a_member_sees_the_list_but_no_control(client, crew):
    factories.InvitationFactory(team=crew.team)
    client.force_login(crew.member)
    body = client.get(url(crew.team)).content.decode()
    assert 'id="invite-form"' not in body
    assert "resend" not in body
    assert "/cancel/" not in body


def test_inviting_queues_the_e_mail_in_the_outbox(client, crew, django_capture_on_commit_callbacks):
    client.force_login(crew.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(crew.team), {"email": "Newcomer@Example.gouv.fr", "role": "administrator"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(team=crew.team)
    assert (invitation.email, invitation.role, invitation.issuer) == ("newcomer@example.gouv.fr", "administrator", crew.admin)
    assert AuditEntry.objects.filter(action="invitation.create", target_id=str(invitation.pk)).exists()
    assert [message.to for message in mail.outbox] == [["newcomer@example.gouv.fr"]]
    body = client.get(response.url).content.decode()
    assert "An invitation was sent to newcomer@example.gouv.fr." in body
    assert "Sent" in part(body, f"invitation-{invitation.pk}", "</tr>")


def test_inviting_an_existing_account_adds_them_at_once(client, crew):
    client.force_login(crew.owner)
    response = client.post(url(crew.team), {"email": crew.outsider.email, "role": "member"})
    assert response.status_code == 302
    assert TeamAccess.objects.filter(team=crew.team, user=crew.outsider).exists()
    assert f"{crew.outsider.name} is now a member of the team." in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not an address", "role": "member"}, "email", "Enter a valid email address."),
        ({"email": "", "role": "member"}, "email", "This field is required."),
        ({"email": "a@example.gouv.fr", "role": "chief"}, "role", "Select a valid choice."),
    ],
    ids=["bad-address", "no-address", "bad-role"],
)
def test_bad_input_is_a_400_next_to_its_field(client, crew, data, field, message):
    client.force_login(crew.owner)
    response = client.post(url(crew.team), data)
    assert response.status_code == 400
    assert message in part(response.content.decode(), f"id_{field}-desc-error", "</div>")
    assert not Invitation.objects.exists()


def test_inviting_twice_is_shown_above_the_form(client, crew):
    factories.InvitationFactory(team=crew.team, email="twice@example.gouv.fr")
    client.force_login(crew.owner)
    before = audit_entries()
    response = client.post(url(crew.team), {"email": "twice@example.gouv.fr", "role": "member"})
    assert response.status_code == 400
    assert "This e-mail address is already invited to this team." in part(response.content.decode(), "invite-form-errors", "</div>")
    assert Invitation.objects.count() == 1
    assert audit_entries() == before


def test_an_administrator_cannot_invite_an_owner(client, crew):
    client.force_login(crew.admin)
    response = client.post(url(crew.team), {"email": "boss@example.gouv.fr", "role": "owner"})
    assert response.status_code == 403
    assert "Only owners of a team can assign other users as owners." in response.content.decode()
    assert not Invitation.objects.exists()


def test_sending_again_refreshes_the_invitation(client, crew):
    invitation = factories.InvitationFactory(team=crew.team, expires_at=timezone.now() + timedelta(hours=1))
    client.force_login(crew.admin)
    response = client.post(url(crew.team), {"action": "resend", "invitation": str(invitation.pk)})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=1)
    assert invitation.email_outbox is not None
    assert f"The invitation to {invitation.email} was sent again." in client.get(response.url).content.decode()


def test_cancelling_an_invitation(client, crew):
    invitation = factories.InvitationFactory(team=crew.team)
    client.force_login(crew.admin)
    confirm = client.get(reverse("teams:invitation-cancel", args=[crew.team.pk, invitation.pk])).content.decode()
    assert f"Cancel the invitation to {invitation.email}?" in confirm
    response = client.post(url(crew.team), {"action": "cancel", "invitation": str(invitation.pk)})
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert AuditEntry.objects.filter(action="invitation.delete", target_id=str(invitation.pk)).exists()


@pytest.mark.parametrize("data", [{"email": "x@example.gouv.fr", "role": "member"}, {"action": "resend"}, {"action": "cancel"}],
                         ids=["invite", "resend", "cancel"])
def test_a_member_posting_directly_is_refused(client, crew, data):
    invitation = factories.InvitationFactory(team=crew.team)
    expires_at = invitation.expires_at
    client.force_login(crew.member)
    before = audit_entries()
    response = client.post(url(crew.team), {**data, "invitation": str(invitation.pk)})
    assert response.status_code == 403
    assert "You are not allowed to manage invitations for this team." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.expires_at == expires_at
    assert Invitation.objects.count() == 1
    assert audit_entries() == before
    assert client.get(reverse("teams:invitation-cancel", args=[crew.team.pk, invitation.pk])).status_code == 403


def test_outsiders_get_404_and_parents_members_403(client, crew):
    invitation = factories.InvitationFactory(team=crew.team)
    client.force_login(crew.outsider)
    assert client.get(url(crew.team)).status_code == 404
    assert client.post(url(crew.team), {"action": "cancel", "invitation": str(invitation.pk)}).status_code == 404
    child_member = factories.UserFactory(organization=crew.team.organization)
    factories.TeamFactory(organization=crew.team.organization, parent=crew.team, users=[child_member])
    client.force_login(child_member)
    assert client.get(url(crew.team)).status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_invitation_of_another_team_is_404(client, crew):
    other = factories.InvitationFactory()
    client.force_login(crew.owner)
    assert client.post(url(crew.team), {"action": "cancel", "invitation": str(other.pk)}).status_code == 404
    assert Invitation.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, crew, django_assert_max_num_queries, rows):
    for number in range(rows):
        invitation = factories.InvitationFactory(team=crew.team, role=TeamRole.MEMBER)
        if number % 2:
            invitation.email_outbox = OutboxMessage.objects.create(kind="teams.invitation_email")
            invitation.save()
    client.force_login(crew.owner)
    with django_assert_max_num_queries(9):
        assert client.get(url(crew.team), {"page": "last"}).status_code == 200
