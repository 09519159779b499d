"""POST /api/v1.0/mail-domains/{slug}/mailboxes/: recorded at once, provisioned by a job, and
its owner gets a one-time login link (never a password)."""

import pytest
from django.core import mail

from people.core.models import AuditEntry, OutboxMessage
from people.mail.models import Mailbox, MailboxStatus, MailDomainStatus
from tests.factories import MailboxFactory, MailDomainFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = {"first_name": "Élise", "last_name": "Durand", "local_part": "Elise.Durand", "secondary_email": "elise@perso.example.net"}


def create(client, crew, body=BODY):
    return client.post(crew.url("mailboxes/"), body, format="json")


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_create_a_mailbox_provisioned_with_a_login_link(client_for, crew, platform, jobs, role):
    with jobs():
        response = create(client_for(crew.user(role)), crew)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"  # the answer does not wait for the platform
    assert body["local_part"] == "elise.durand"
    assert body["email"] == f"elise.durand@{crew.domain.name}"
    mailbox = Mailbox.objects.get(pk=body["id"])
    assert (mailbox.status, mailbox.provisioned) == (MailboxStatus.ENABLED, True)
    box = platform.mailbox(mailbox.email)
    assert (box["givenName"], box["surName"], box["displayName"], box["status"]) == ("Élise", "Durand", "Élise Durand", "ok")
    [message] = mail.outbox
    assert message.to == ["elise@perso.example.net"]
    [(address, code)] = platform.codes
    assert address == mailbox.email
    assert f"https://webmail.example.net/code/{code}" in message.body
    html = message.alternatives[0][0]
    assert f"https://webmail.example.net/code/{code}" in html
    assert "password" not in {key.lower() for key in message.extra_headers}
    assert AuditEntry.objects.filter(action="mailbox.create", target_id=str(mailbox.pk)).exists()


def test_no_password_is_stored_or_sent(client_for, crew, platform, jobs):
    with jobs():
        create(client_for(crew.owner), crew)
    [call] = platform.requests("POST", path=f"/domains/{crew.domain.name}/mailboxes/elise.durand")
    assert call.body == {"givenName": "Élise", "surName": "Durand", "displayName": "Élise Durand"}
    payloads = [str(row) for row in OutboxMessage.objects.values_list("payload", "last_error")]
    assert not any("password" in text for text in payloads)
    assert "password" not in mail.outbox[0].body.lower().replace("choose your password", "")


def test_without_secondary_address_no_email(client_for, crew, platform, jobs):
    with jobs():
        response = create(client_for(crew.owner), crew, {**BODY, "secondary_email": None})
    assert response.status_code == 201
    assert Mailbox.objects.get().status == MailboxStatus.ENABLED
    assert mail.outbox == []


def test_viewer_gets_403_and_nothing_is_written(client_for, crew, platform, jobs):
    with jobs():
        response = create(client_for(crew.viewer), crew)
    assert response.status_code == 403
    assert not Mailbox.objects.exists()
    assert platform.requests("POST") == []


def test_no_role_gets_404(client_for, crew):
    response = create(client_for(crew.outsider), crew)
    assert response.status_code == 404
    assert response.json()["detail"] == "No MailDomain matches the given query."
    assert not Mailbox.objects.exists()


def test_anonymous_gets_401(crew):
    from rest_framework.test import APIClient

    assert create(APIClient(), crew).status_code == 401


def test_on_a_domain_not_enabled_it_waits_then_is_provisioned_when_the_domain_is(client_for, mail_platform, jobs):
    owner = UserFactory()
    domain = MailDomainFactory(status=MailDomainStatus.PENDING, provisioned=True, users=[(owner, "owner")])
    mail_platform.add_domain(domain.name, external_ok=False)
    with jobs():
        response = client_for(owner).post(f"/api/v1.0/mail-domains/{domain.slug}/mailboxes/", BODY, format="json")
    assert response.status_code == 201
    mailbox = Mailbox.objects.get()
    assert mailbox.status == MailboxStatus.PENDING
    assert not mailbox.provisioned
    assert client_for(owner).get(f"/api/v1.0/mail-domains/{domain.slug}/mailboxes/{mailbox.pk}/").json()[
        "status_message"
    ] == "Waiting for the domain to be ready on the mail platform."
    assert mail_platform.requests("POST", "/mailboxes/") == []
    mail_platform.domains[domain.name].external_ok = True  # the owner published the DNS records
    with jobs():
        assert client_for(owner).post(f"/api/v1.0/mail-domains/{domain.slug}/fetch/").status_code == 200
    mailbox.refresh_from_db()
    assert mailbox.status == MailboxStatus.ENABLED
    assert mail_platform.mailbox(mailbox.email) is not None


def test_disabled_domain_refuses(client_for, crew):
    crew.domain.status = MailDomainStatus.DISABLED
    crew.domain.save()
    response = create(client_for(crew.owner), crew)
    assert response.status_code == 400
    assert response.json()["code"] == "domain_disabled"


def test_same_names_any_case_is_refused(client_for, crew):
    MailboxFactory(domain=crew.domain, first_name="ÉLISE", last_name="durand")
    response = create(client_for(crew.owner), crew)
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["Mailbox with this First name, Last name and Domain already exists."]}
    assert Mailbox.objects.count() == 1


def test_address_taken_is_refused(client_for, crew):
    MailboxFactory(domain=crew.domain, local_part="elise.durand")
    response = create(client_for(crew.owner), crew)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["local_part"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "local_part": "élise"}, "local_part"),
        ({**BODY, "local_part": "a..b"}, "local_part"),
        ({**BODY, "local_part": ""}, "local_part"),
        ({**BODY, "first_name": "  "}, "first_name"),
        ({**BODY, "last_name": None}, "last_name"),
        ({**BODY, "secondary_email": "not-an-address"}, "secondary_email"),
        ({key: value for key, value in BODY.items() if key != "first_name"}, "first_name"),
    ],
)
def test_bad_input_is_a_400_on_its_field(client_for, crew, body, field):
    response = create(client_for(crew.owner), crew, body)
    assert response.status_code == 400, response.json()
    assert field in (response.json().get("errors") or response.json())
    assert not Mailbox.objects.exists()


def test_switch_off_refuses(client_for, crew, settings):
    settings.FEATURES = {**settings.FEATURES, "MAILBOXES_CREATE": False}
    response = create(client_for(crew.owner), crew)
    assert response.status_code == 403
    assert not Mailbox.objects.exists()
