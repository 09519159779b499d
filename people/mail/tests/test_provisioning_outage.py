"""The mail platform down (500s, hanging past the timeout, refusing connections): every change
is answered at once, stays pending and retried, and once the platform is back everything
reaches it, in the order it was asked, ending in the latest state. Nothing is lost, and no
request fails because of the platform."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.mail import provisioning
from people.mail.models import Alias, AliasStatus, Mailbox, MailboxStatus
from tests.peers.oidc.fixtures import free_port

pytestmark = pytest.mark.django_db


def drain(hours: int = 7) -> None:
    """Later (past any backoff of the outbox), the due messages are delivered."""
    with freeze_time(timezone.now() + timedelta(hours=hours)):
        while outbox.deliver_due():
            pass


def names_and_status(client, crew, mailbox_id):
    body = client.get(crew.url(f"mailboxes/{mailbox_id}/")).json()
    return body["first_name"], body["status"], body["status_message"]


@pytest.mark.parametrize("failure", [500, 503, "timeout", "refused"])
def test_changes_during_an_outage_arrive_in_order_once_it_is_over(client_for, crew, platform, jobs, settings, failure):
    client = client_for(crew.owner)
    platform_url = settings.MAIL_PROVISIONING_API_URL
    if failure == "refused":
        settings.MAIL_PROVISIONING_API_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens
    else:
        platform.outage(failure)
    body = {"first_name": "Jean", "last_name": "Dupont", "local_part": "jean", "secondary_email": "jean@perso.fr"}
    with jobs():
        created = client.post(crew.url("mailboxes/"), body, format="json")
    assert created.status_code == 201
    mailbox_id = created.json()["id"]
    with jobs():
        assert client.patch(crew.url(f"mailboxes/{mailbox_id}/"), {"first_name": "Jeanne"}, format="json").status_code == 200
    with jobs():
        assert client.post(crew.url(f"mailboxes/{mailbox_id}/disable/")).status_code == 200
    first, status, message = names_and_status(client, crew, mailbox_id)
    assert (first, status) == ("Jeanne", "pending")
    assert message == "The mail platform did not answer; People tries again by itself (attempt 1)."
    drain()  # still down: retried, still pending, nothing given up
    assert Mailbox.objects.get().status == MailboxStatus.PENDING
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert platform.mailbox(f"jean@{crew.domain.name}") is None

    platform.recover()
    settings.MAIL_PROVISIONING_API_URL = platform_url
    drain(hours=14)
    mailbox = Mailbox.objects.get()
    assert (mailbox.status, mailbox.provisioned, mailbox.active) == (MailboxStatus.DISABLED, True, False)
    box = platform.mailbox(mailbox.email)
    assert (box["givenName"], box["displayName"], box["active"]) == ("Jeanne", "Jeanne Dupont", "no")
    # Created once, before any change of it; then the changes, in order.
    calls = [
        (call.method, call.body.get("active") if isinstance(call.body, dict) else None)
        for call in platform.requests(path_contains="/mailboxes/jean")
        if call.method in ("POST", "PATCH") and "/code/" not in call.path
    ]
    posts = [index for index, call in enumerate(calls) if call[0] == "POST"]
    assert posts == [0]
    assert calls[-1] == ("PATCH", "no")
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}
    assert names_and_status(client, crew, mailbox.pk)[1:] == ("disabled", "")


def test_aliases_asked_created_deleted_and_again_end_as_last_asked(client_for, crew, platform, jobs):
    client = client_for(crew.owner)
    platform.outage(500)
    body = {"local_part": "contact", "destination": "a@example.fr"}
    with jobs():
        client.post(crew.url("aliases/"), body, format="json")
    alias_id = Alias.objects.get().pk
    with jobs():
        assert client.delete(crew.url(f"aliases/{alias_id}/")).status_code == 204
    with jobs():
        assert client.post(crew.url("aliases/"), body, format="json").status_code == 201  # asked again
    with jobs():
        client.post(crew.url("aliases/"), {"local_part": "contact", "destination": "b@example.fr"}, format="json")
    with jobs():
        assert client.delete(crew.url("aliases/") + "?local_part=contact").status_code == 204
    with jobs():
        client.post(crew.url("aliases/"), {"local_part": "contact", "destination": "c@example.fr"}, format="json")
    platform.recover()
    drain()
    assert platform.domains[crew.domain.name].aliases == [("contact", "c@example.fr")]
    assert list(Alias.objects.values_list("destination", "status")) == [("c@example.fr", AliasStatus.ENABLED)]


def test_an_object_given_up_on_is_queued_again_by_the_periodic_job(client_for, crew, platform, jobs, settings):
    settings.MAIL_PROVISIONING_MAX_ATTEMPTS = 2
    platform.outage(500)
    with jobs():
        client_for(crew.owner).post(
            crew.url("mailboxes/"), {"first_name": "Ana", "last_name": "Bel", "local_part": "ana"}, format="json"
        )
    drain()
    drain(hours=14)
    assert OutboxMessage.objects.get(kind="mail.mailbox_sync").status == OutboxStatus.FAILED
    mailbox = Mailbox.objects.get()
    assert mailbox.status == MailboxStatus.PENDING  # not failed: the platform never said no
    shown = client_for(crew.owner).get(crew.url(f"mailboxes/{mailbox.pk}/")).json()["status_message"]
    assert shown == "The mail platform has not answered for a long time; People will try again."
    platform.recover()
    with jobs():
        provisioning.domains_check_due()
    mailbox.refresh_from_db()
    assert mailbox.status == MailboxStatus.ENABLED
    assert platform.mailbox(mailbox.email) is not None


def test_a_token_expired_on_the_platform_is_renewed(client_for, crew, platform, jobs):
    with jobs():
        client_for(crew.owner).post(crew.url("fetch/"))
    assert len(platform.requests("GET", path="/token/")) == 1
    platform.expire_tokens()
    with jobs():
        client_for(crew.owner).post(
            crew.url("mailboxes/"), {"first_name": "Ana", "last_name": "Bel", "local_part": "ana"}, format="json"
        )
    assert Mailbox.objects.get().status == MailboxStatus.ENABLED
    assert len(platform.requests("GET", path="/token/")) == 2
