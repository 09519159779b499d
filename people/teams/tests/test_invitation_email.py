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
