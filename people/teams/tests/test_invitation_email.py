"""The invitation e-mail: sent through the outbox after commit, in the issuer's language, retried."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.teams import services
from people.teams.models import Invitation

pytestmark = pytest.mark.django_db


def invite(crew, client_for, email="guest@example.fr"):
    return client_for(crew.owner).post(f"/api/v1.0/teams/{crew.team.pk}/invitations/", {"email": email}, format="json")


def test_nothing_is_sent_before_commit(crew):
    services.invitation_create(actor=crew.owner, team=crew.team, email="guest@example.fr")
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING


def test_english_html_and_text(crew, client_for, django_capture_on_commit_callbacks):
    crew.team.name = "Réseaux <b>"
    crew.team.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(crew, client_for).status_code == 201
    message = mail.outbox[0]
    assert message.subject == 'Invitation to join the team "Réseaux <b>"'
    assert "join the team" in message.body
    assert crew.owner.name in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Réseaux &lt;b&gt;" in html  # escaped in HTML
    assert '<html lang="en">' in html


def test_french_when_the_issuer_speaks_french(crew, client_for, django_capture_on_commit_callbacks):
    crew.owner.language = "fr-fr"
    crew.owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(crew, client_for).status_code == 201
    message = mail.outbox[0]
    assert message.subject.startswith("Invitation à rejoindre l'équipe")
    assert "Bonjour" in message.body
    assert "membre" in message.body
    assert '<html lang="fr">' in message.alternatives[0][0]


def test_smtp_failure_keeps_the_request_and_the_message_is_retried(
    crew, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(crew, client_for)
    assert response.status_code == 201
    assert Invitation.objects.filter(email="guest@example.fr").exists()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert "mail server down" in message.last_error
    assert mail.outbox == []
    # The mail server is back: the next due attempt delivers.
    with freeze_time(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox.deliver_due() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert len(mail.outbox) == 1


def test_deleted_invitation_sends_nothing(crew):
    invitation = services.invitation_create(actor=crew.owner, team=crew.team, email="guest@example.fr")
    message = OutboxMessage.objects.get()
    invitation.delete()
    assert outbox.deliver(message.pk) == OutboxStatus.DELIVERED
    assert mail.outbox == []


def test_refused_address_fails_at_once_with_the_reason(crew, smtp_peer, django_capture_on_commit_callbacks):
    smtp_peer.refuse["gone@example.fr"] = "550 5.1.1 No such user"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=crew.owner, team=crew.team, email="gone@example.fr")
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.recipient) == (OutboxStatus.FAILED, 1, "gone@example.fr")
    assert message.last_error == "PermanentError: recipient refused: gone@example.fr: 550 5.1.1 No such user"


def test_busy_mailbox_is_retried(crew, smtp_peer, django_capture_on_commit_callbacks):
    smtp_peer.refuse["busy@example.fr"] = "451 4.2.0 Mailbox busy"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=crew.owner, team=crew.team, email="busy@example.fr")
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    del smtp_peer.refuse["busy@example.fr"]
    with freeze_time(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox.deliver(message.pk) == OutboxStatus.DELIVERED
    assert len(smtp_peer.received) == 1


def test_two_attempts_of_one_message_send_the_same_message_id(crew, smtp_peer, django_capture_on_commit_callbacks):
    """Delivery is at least once: the copy a receiver gets carries the first one's Message-ID."""
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=crew.owner, team=crew.team, email="guest@example.fr")
        services.invitation_create(actor=crew.owner, team=crew.team, email="other@example.fr")
    first = OutboxMessage.objects.get(recipient="guest@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry_now(first)  # as after a worker died before recording the delivery
    ids = {message["To"]: [] for message in smtp_peer.received}
    for received in smtp_peer.received:
        ids[received["To"]].append(received["Message-ID"])
    assert ids["guest@example.fr"] == [f"<{first.pk}@people.localhost>"] * 2
    assert len(ids["other@example.fr"]) == 1
    assert ids["other@example.fr"][0] != ids["guest@example.fr"][0]
