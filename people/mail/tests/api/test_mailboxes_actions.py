"""POST .../mailboxes/{id}/disable/, enable/, reset_password/, login_link/: managers only; the
platform does it in the background; links go to the secondary address, passwords nowhere."""

import pytest
from django.core import mail

from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.mail.models import Mailbox, MailboxStatus
from tests.factories import MailboxFactory

pytestmark = pytest.mark.django_db

ACTIONS = ["disable", "enable", "reset_password", "login_link"]


@pytest.fixture
def mailbox(crew, platform):
    box = MailboxFactory(domain=crew.domain, local_part="jean.dupont", secondary_email="jean@perso.example.net")
    platform.add_mailbox(crew.domain.name, "jean.dupont", box.first_name, box.last_name)
    return box


def url(crew, mailbox, action):
    return crew.url(f"mailboxes/{mailbox.pk}/{action}/")


@pytest.mark.parametrize("action", ACTIONS)
def test_viewer_403_no_role_404(client_for, crew, mailbox, action):
    assert client_for(crew.viewer).post(url(crew, mailbox, action)).status_code == 403
    assert client_for(crew.outsider).post(url(crew, mailbox, action)).status_code == 404
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_disable_then_enable(client_for, crew, platform, mailbox, jobs, role):
    client = client_for(crew.user(role))
    with jobs():
        response = client.post(url(crew, mailbox, "disable"))
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    mailbox.refresh_from_db()
    assert (mailbox.active, mailbox.status) == (False, MailboxStatus.DISABLED)
    assert platform.mailbox(mailbox.email)["active"] == "no"
    with jobs():
        assert client.post(url(crew, mailbox, "enable")).status_code == 200
    mailbox.refresh_from_db()
    assert (mailbox.active, mailbox.status) == (True, MailboxStatus.ENABLED)
    assert platform.mailbox(mailbox.email)["active"] == "yes"
    assert [e.action for e in AuditEntry.objects.order_by("created_at")] == ["mailbox.disable", "mailbox.enable"]


def test_disabling_twice_changes_nothing(client_for, crew, mailbox, jobs):
    client = client_for(crew.owner)
    with jobs():
        client.post(url(crew, mailbox, "disable"))
    with jobs():
        assert client.post(url(crew, mailbox, "disable")).status_code == 200
    assert OutboxMessage.objects.filter(kind="mail.mailbox_sync").count() == 1


def test_a_mailbox_not_yet_created_is_created_disabled(client_for, crew, platform, jobs):
    with jobs():
        created = client_for(crew.owner).post(
            crew.url("mailboxes/"), {"first_name": "Ana", "last_name": "Bel", "local_part": "ana"}, format="json"
        )
        disabled = client_for(crew.owner).post(crew.url(f"mailboxes/{created.json()['id']}/disable/"))
    assert disabled.status_code == 200
    mailbox = Mailbox.objects.get(local_part="ana")
    assert mailbox.status == MailboxStatus.DISABLED
    assert platform.mailbox(mailbox.email)["active"] == "no"


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_reset_password_sends_a_link_not_a_password(client_for, crew, platform, mailbox, jobs, role):
    with jobs():
        response = client_for(crew.user(role)).post(url(crew, mailbox, "reset_password"))
    assert response.status_code == 200
    assert len(platform.requests("POST", "/reset_password/")) == 1
    [message] = mail.outbox
    assert message.to == ["jean@perso.example.net"]
    assert "was reset" in message.subject
    [(_address, code)] = platform.codes
    assert f"/code/{code}" in message.body
    assert AuditEntry.objects.filter(action="mailbox.password_reset").exists()
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_login_link(client_for, crew, platform, mailbox, jobs, role):
    with jobs():
        response = client_for(crew.user(role)).post(url(crew, mailbox, "login_link"))
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["jean@perso.example.net"]
    [(_address, code)] = platform.codes
    assert f"https://webmail.example.net/code/{code}" in message.body
    assert platform.requests("POST", "/reset_password/") == []


@pytest.mark.parametrize("action", ["reset_password", "login_link"])
@pytest.mark.parametrize("secondary", [None, "", "SELF"])
def test_links_need_a_usable_secondary_address(client_for, crew, mailbox, action, secondary):
    mailbox.secondary_email = mailbox.email.upper() if secondary == "SELF" else secondary
    mailbox.save()
    response = client_for(crew.owner).post(url(crew, mailbox, action))
    assert response.status_code == 400
    assert response.json()["code"] == "secondary_email_required"
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("action", ["reset_password", "login_link"])
def test_links_need_the_mailbox_active_on_the_platform(client_for, crew, mailbox, action):
    Mailbox.objects.filter(pk=mailbox.pk).update(provisioned=False, status=MailboxStatus.PENDING)
    response = client_for(crew.owner).post(url(crew, mailbox, action))
    assert (response.status_code, response.json()["code"]) == (400, "mailbox_not_ready")
