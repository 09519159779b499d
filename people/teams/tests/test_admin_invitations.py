"""The admin writes invitations through the teams services, as an operator: the same rules,
audit entries and invitation e-mail (through the outbox) as the API."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.teams.models import Invitation, TeamAccess, TeamRole
from tests import factories

pytestmark = pytest.mark.django_db

ADD = "admin:teams_invitation_add"
CHANGELIST = "admin:teams_invitation_changelist"


def form_errors(response):
    return response.context["adminform"].form.errors


def test_invitation_is_created_by_the_service_and_its_email_sent(client, operator, django_capture_on_commit_callbacks):
    team = factories.TeamFactory(name="Crew")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(ADD), {"email": "New.Comer@Example.gouv.fr", "team": str(team.pk), "role": "owner"})
    assert response.status_code == 302, form_errors(response)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.team, invitation.role, invitation.issuer) == (
        "new.comer@example.gouv.fr", team, TeamRole.OWNER, operator,
    )
    assert not invitation.is_expired
    entry = AuditEntry.objects.get(action="invitation.create")
    assert (entry.actor, entry.audience, entry.target_id) == (operator, "operator", str(invitation.pk))
    assert OutboxMessage.objects.get(kind="teams.invitation_email").status == OutboxStatus.DELIVERED
    assert [message.to for message in mail.outbox] == [["new.comer@example.gouv.fr"]]
    assert "Crew" in mail.outbox[0].subject + mail.outbox[0].body


def test_email_of_a_user_gives_the_access_at_once(client, operator, django_capture_on_commit_callbacks):
    team = factories.TeamFactory()
    known = factories.UserFactory(email="known@example.gouv.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(ADD), {"email": "KNOWN@example.gouv.fr", "team": str(team.pk), "role": "administrator"})
    access = TeamAccess.objects.get(team=team, user=known)
    assert access.role == TeamRole.ADMIN
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:teams_teamaccess_change", args=[access.pk])
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    entry = AuditEntry.objects.get(action="team_access.create")
    assert (entry.actor, entry.audience) == (operator, "operator")
    page = client.get(response["Location"]).content.decode()
    assert "Email already known" in page


def test_pending_invitation_is_a_form_error_and_an_expired_one_is_replaced(client, operator):
    team = factories.TeamFactory()
    pending = factories.InvitationFactory(team=team, email="dup@example.gouv.fr")
    response = client.post(reverse(ADD), {"email": "DUP@example.gouv.fr", "team": str(team.pk), "role": "member"})
    assert response.status_code == 200
    assert "already invited" in str(form_errors(response))
    assert list(Invitation.objects.all()) == [pending]

    pending.expires_at = timezone.now() - timedelta(days=1)
    pending.save()
    response = client.post(reverse(ADD), {"email": "dup@example.gouv.fr", "team": str(team.pk), "role": "member"})
    assert response.status_code == 302, form_errors(response)
    replacement = Invitation.objects.get()
    assert replacement.pk != pending.pk
    assert not replacement.is_expired
    assert AuditEntry.objects.filter(action="invitation.delete", target_id=str(pending.pk), audience="operator").exists()


def test_member_email_and_bad_input_are_form_errors(client, operator):
    member = factories.UserFactory()
    team = factories.TeamFactory(users=[member])
    for data in (
        {"email": member.email, "team": str(team.pk), "role": "member"},
        {"email": "not-an-email", "team": str(team.pk), "role": "member"},
        {"email": "a@example.gouv.fr", "team": "not-a-uuid", "role": "member"},
        {"email": "a@example.gouv.fr", "team": str(team.pk), "role": "king"},
    ):
        response = client.post(reverse(ADD), data)
        assert response.status_code == 200, data
        assert form_errors(response), data
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_role_and_expiry_change_through_the_service(client, operator):
    invitation = factories.InvitationFactory(email="guest@example.gouv.fr")
    url = reverse("admin:teams_invitation_change", args=[invitation.pk])
    response = client.post(url, {
        "role": "administrator", "email": "forged@example.gouv.fr",
        "expires_at_0": "2030-01-02", "expires_at_1": "10:00:00",
    })
    assert response.status_code == 302, form_errors(response)
    invitation.refresh_from_db()
    assert (invitation.role, invitation.email, invitation.expires_at.year) == ("administrator", "guest@example.gouv.fr", 2030)
    entry = AuditEntry.objects.get(action="invitation.update", target_id=str(invitation.pk))
    assert (entry.actor, entry.audience) == (operator, "operator")
    assert entry.changes["role"] == ["member", "administrator"]
    assert entry.changes["expires_at"][1].startswith("2030-01-02")


def test_delete_goes_through_the_service(client, operator):
    one, two, three = factories.InvitationFactory.create_batch(3)
    response = client.post(reverse("admin:teams_invitation_delete", args=[one.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(reverse(CHANGELIST), {
        "action": "delete_selected", "_selected_action": [str(two.pk), str(three.pk)], "post": "yes",
    })
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    entries = AuditEntry.objects.filter(action="invitation.delete")
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(str(i.pk) for i in (one, two, three))
    assert {(entry.actor, entry.audience) for entry in entries} == {(operator, "operator")}


def test_refresh_action_extends_and_sends_again(client, operator, django_capture_on_commit_callbacks):
    expired = factories.InvitationFactory(email="late@example.gouv.fr", expires_at=timezone.now() - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(CHANGELIST), {"action": "refresh", "_selected_action": [str(expired.pk)]})
    assert response.status_code == 302
    expired.refresh_from_db()
    assert expired.expires_at > timezone.now() + timedelta(days=6)
    assert [message.to for message in mail.outbox] == [["late@example.gouv.fr"]]
    entry = AuditEntry.objects.get(action="invitation.refresh")
    assert (entry.actor, entry.audience) == (operator, "operator")
