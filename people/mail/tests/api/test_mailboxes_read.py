"""GET /api/v1.0/mail-domains/{slug}/mailboxes/: every role reads, search and ordering, a
constant number of queries; pending and failed mailboxes say why."""

import pytest

from people.core.models import OutboxMessage, OutboxStatus
from people.mail import messages
from people.mail.models import MailboxStatus, MailDomainStatus
from tests.factories import MailboxFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "admin", "viewer"])
def test_every_role_reads(client_for, crew, role):
    mailbox = MailboxFactory(domain=crew.domain, first_name="Léa", last_name="Petit", local_part="lea.petit")
    response = client_for(crew.user(role)).get(crew.url("mailboxes/"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": str(mailbox.pk), "first_name": "Léa", "last_name": "Petit", "local_part": "lea.petit",
        "email": f"lea.petit@{crew.domain.name}", "secondary_email": mailbox.secondary_email, "status": "enabled",
        "status_message": "", "abilities": row["abilities"], "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    manage = role != "viewer"
    assert row["abilities"] == {
        "get": True, "patch": manage, "put": manage, "delete": False, "disable": manage, "enable": manage,
        "reset_password": manage, "login_link": manage,
    }
    assert client_for(crew.user(role)).get(crew.url(f"mailboxes/{mailbox.pk}/")).json()["id"] == str(mailbox.pk)


def test_no_role_404_and_other_domains_mailboxes_404(client_for, crew):
    mailbox = MailboxFactory(domain=crew.domain)
    elsewhere = MailboxFactory()
    assert client_for(crew.outsider).get(crew.url("mailboxes/")).status_code == 404
    assert client_for(crew.outsider).get(crew.url(f"mailboxes/{mailbox.pk}/")).status_code == 404
    assert client_for(crew.owner).get(crew.url(f"mailboxes/{elsewhere.pk}/")).status_code == 404
    assert client_for(crew.owner).get(crew.url("mailboxes/not-an-id/")).status_code == 404


def test_search_and_ordering(client_for, crew):
    MailboxFactory(domain=crew.domain, first_name="Zoé", last_name="Arnaud", local_part="zoe.arnaud")
    MailboxFactory(domain=crew.domain, first_name="Éric", last_name="Blanc", local_part="eric.blanc")
    client = client_for(crew.viewer)
    assert [r["local_part"] for r in client.get(crew.url("mailboxes/"), {"q": "eric"}).json()["results"]] == ["eric.blanc"]
    assert [r["local_part"] for r in client.get(crew.url("mailboxes/"), {"q": "zoe arn"}).json()["results"]] == ["zoe.arnaud"]
    ordered = client.get(crew.url("mailboxes/"), {"ordering": "last_name"}).json()["results"]
    assert [r["last_name"] for r in ordered] == ["Arnaud", "Blanc"]
    newest = client.get(crew.url("mailboxes/")).json()["results"]
    assert [r["local_part"] for r in newest] == ["eric.blanc", "zoe.arnaud"]


@pytest.mark.parametrize("mailboxes", [1, 25])
def test_the_list_costs_the_same_queries_whatever_its_length(client_for, crew, django_assert_max_num_queries, mailboxes):
    MailboxFactory.create_batch(mailboxes, domain=crew.domain)
    client = client_for(crew.owner)
    with django_assert_max_num_queries(5):  # session, user, the domain with the role, count, page
        response = client.get(crew.url("mailboxes/"), {"page_size": 100})
    assert len(response.json()["results"]) == mailboxes


def test_pending_and_failed_say_why(client_for, crew):
    crew.domain.status = MailDomainStatus.ACTION_REQUIRED
    crew.domain.save()
    waiting = MailboxFactory(domain=crew.domain, status=MailboxStatus.PENDING, provisioned=False)
    retried = MailboxFactory(
        domain=crew.domain, status=MailboxStatus.PENDING, provisioned=True, failed_attempts=3,
        operation=OutboxMessage.objects.create(kind="mail.mailbox_sync"),
    )
    stalled = MailboxFactory(
        domain=crew.domain, status=MailboxStatus.PENDING, provisioned=True,
        operation=OutboxMessage.objects.create(kind="mail.mailbox_sync", status=OutboxStatus.FAILED),
    )
    failed = MailboxFactory(
        domain=crew.domain, status=MailboxStatus.FAILED, provisioned=False,
        failure=messages.failure("display_name_taken", address="jean@x.fr"),
    )
    rows = {row["id"]: row["status_message"] for row in client_for(crew.viewer).get(crew.url("mailboxes/")).json()["results"]}
    assert rows[str(waiting.pk)] == "Waiting for the domain to be ready on the mail platform."
    assert rows[str(retried.pk)] == "The mail platform did not answer; People tries again by itself (attempt 3)."
    assert rows[str(stalled.pk)].startswith("The mail platform has not answered for a long time")
    assert rows[str(failed.pk)].startswith("The first and last names are already those of jean@x.fr")


def test_delete_is_not_offered(client_for, crew):
    mailbox = MailboxFactory(domain=crew.domain)
    assert client_for(crew.owner).delete(crew.url(f"mailboxes/{mailbox.pk}/")).status_code == 405
