"""Duplicates on the platform: a display name another mailbox has there, an alias made outside
People. They end in a final `failed` status with a reason the domain's managers can act on;
what an earlier attempt of People's own made is taken as done, never made twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.mail import provisioning
from people.mail.models import Alias, AliasStatus, Mailbox, MailboxStatus
from tests.factories import AliasFactory, MailboxFactory

pytestmark = pytest.mark.django_db

BODY = {"first_name": "Jean", "last_name": "Dupont", "local_part": "jean.dupont", "secondary_email": "jean@perso.fr"}


def create(client_for, crew, jobs, body=BODY):
    with jobs():
        response = client_for(crew.owner).post(crew.url("mailboxes/"), body, format="json")
    assert response.status_code == 201
    return Mailbox.objects.get(pk=response.json()["id"])


def test_a_display_name_taken_on_the_platform_fails_with_who_has_it(client_for, crew, platform, jobs):
    platform.add_mailbox(crew.domain.name, "jdupont", "JEAN", "dupont")  # made outside People, any case
    mailbox = create(client_for, crew, jobs)
    assert mailbox.status == MailboxStatus.FAILED
    assert not mailbox.provisioned
    assert platform.requests("POST", path=f"/domains/{crew.domain.name}/mailboxes/jean.dupont") == []  # not even asked
    shown = client_for(crew.admin).get(crew.url(f"mailboxes/{mailbox.pk}/")).json()
    assert shown["status"] == "failed"
    assert shown["status_message"] == (
        f"The first and last names are already those of jdupont@{crew.domain.name} in this domain, which the "
        "webmail refuses: change them and the mailbox will be created."
    )
    message = OutboxMessage.objects.get(kind="mail.mailbox_sync")
    assert message.status == OutboxStatus.FAILED  # final: not retried
    assert f"display name used by jdupont@{crew.domain.name}" in message.last_error
    assert mail.outbox == []  # no login link for a mailbox that does not exist


def test_a_display_name_taken_meanwhile_fails_after_the_partial_creation(client_for, crew, platform, jobs):
    """Another client takes the name between People's look and its creation: the platform makes
    the mail side, refuses the webmail side and answers 500. People says why, and a new name
    repairs the mailbox it made."""
    platform.before("POST", "/mailboxes/jean.dupont", lambda p: p.add_mailbox(crew.domain.name, "other", "Jean", "Dupont"))
    mailbox = create(client_for, crew, jobs)
    assert mailbox.status == MailboxStatus.FAILED
    assert mailbox.provisioned  # there, broken
    assert platform.mailbox(mailbox.email)["status"] == "broken"
    with jobs():
        response = client_for(crew.owner).patch(crew.url(f"mailboxes/{mailbox.pk}/"), {"first_name": "Jean-Louis"}, format="json")
    assert response.status_code == 200
    mailbox.refresh_from_db()
    assert mailbox.status == MailboxStatus.ENABLED
    assert platform.mailbox(mailbox.email)["status"] == "ok"
    assert len(platform.requests("POST", path=f"/domains/{crew.domain.name}/mailboxes/jean.dupont")) == 1  # never twice


def test_a_mailbox_an_earlier_attempt_made_is_not_made_again(crew, platform, jobs):
    """A worker that died after the platform made the mailbox: the next attempt finds it."""
    mailbox = MailboxFactory(domain=crew.domain, status=MailboxStatus.PENDING, provisioned=False, **{
        "first_name": "Jean", "last_name": "Dupont", "local_part": "jean.dupont",
    })
    platform.add_mailbox(crew.domain.name, "jean.dupont", "Jean", "Dupont")
    with jobs():
        provisioning.queue_mailbox_sync(mailbox)
    mailbox.refresh_from_db()
    assert (mailbox.status, mailbox.provisioned) == (MailboxStatus.ENABLED, True)
    assert platform.requests("POST", path=f"/domains/{crew.domain.name}/mailboxes/jean.dupont") == []


def test_a_500_that_made_nothing_is_retried(client_for, crew, platform, jobs):
    platform.before("POST", "/mailboxes/jean.dupont", lambda p: (500, {"detail": "Internal Server Error"}))
    mailbox = create(client_for, crew, jobs)
    assert mailbox.status == MailboxStatus.PENDING
    assert OutboxMessage.objects.get(kind="mail.mailbox_sync").status == OutboxStatus.PENDING
    assert platform.mailbox(mailbox.email) is None


def test_an_alias_made_outside_people_fails_with_a_reason(client_for, crew, platform, jobs):
    platform.domains[crew.domain.name].aliases.append(("contact", "a@example.fr"))
    with jobs():
        client_for(crew.owner).post(crew.url("aliases/"), {"local_part": "contact", "destination": "a@example.fr"}, format="json")
    alias = Alias.objects.get()
    assert alias.status == AliasStatus.FAILED
    [row] = client_for(crew.viewer).get(crew.url("aliases/")).json()["results"]
    assert row["status_message"] == (
        "This alias already exists on the mail platform, made outside People: your domain is out of sync, "
        "please contact support."
    )
    assert platform.domains[crew.domain.name].aliases == [("contact", "a@example.fr")]


def test_an_alias_an_earlier_attempt_made_is_taken_as_done(crew, platform, jobs):
    alias = AliasFactory(domain=crew.domain, status=AliasStatus.PENDING, provisioned=False, local_part="contact")

    def made_then_answer_lost(p):
        p.domains[crew.domain.name].aliases.append(("contact", alias.destination))
        return "timeout"

    platform.before("POST", "/aliases/", made_then_answer_lost)
    with jobs():
        provisioning.queue_alias_sync(alias)
    alias.refresh_from_db()
    assert alias.status == AliasStatus.PENDING
    with freeze_time(timezone.now() + timedelta(hours=1)):
        outbox.deliver_due()
    alias.refresh_from_db()
    assert (alias.status, alias.provisioned) == (AliasStatus.ENABLED, True)
    assert len(platform.requests("POST", "/aliases/")) == 2
    assert platform.domains[crew.domain.name].aliases == [("contact", alias.destination)]
