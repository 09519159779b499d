"""The domain's status machine, run by its check job: the platform's checks decide, the
platform repairs its own side when only that fails, the support address hears of each change,
and mailboxes waiting for the domain are created once it is enabled. The periodic job checks
pending domains often and enabled ones daily."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from people.core.models import AuditEntry, OutboxMessage
from people.mail import provisioning
from people.mail.models import MailboxStatus, MailDomain, MailDomainStatus
from tests.factories import MailboxFactory, MailDomainFactory

pytestmark = pytest.mark.django_db


def check(domain, jobs):
    with jobs():
        provisioning.queue_domain_sync(domain)
    domain.refresh_from_db()
    return domain.status


@pytest.fixture
def domain():
    return MailDomainFactory(status=MailDomainStatus.PENDING, provisioned=True, support_email="support@ville.fr")


@pytest.mark.parametrize(
    ("checks", "status"),
    [
        ({}, MailDomainStatus.ENABLED),
        ({"external_ok": False}, MailDomainStatus.ACTION_REQUIRED),
        ({"external_ok": False, "internal_ok": False}, MailDomainStatus.ACTION_REQUIRED),
        ({"internal_ok": False, "fixable": True}, MailDomainStatus.ENABLED),
        ({"internal_ok": False, "fixable": False}, MailDomainStatus.FAILED),
    ],
    ids=["ok", "dns-missing", "dns-and-internal", "internal-fixed", "internal-unfixable"],
)
def test_the_checks_decide(domain, mail_platform, jobs, checks, status):
    mail_platform.add_domain(domain.name, **checks)
    assert check(domain, jobs) == status
    asked_to_fix = mail_platform.requests("GET", "/fix/")
    assert bool(asked_to_fix) == ("internal_ok" in checks and "external_ok" not in checks)
    assert domain.last_check_at is not None
    assert domain.expected_config  # the DNS records, for the owner to publish
    assert AuditEntry.objects.get(action="mail_domain.status").changes == {"status": ["pending", status]}


def test_each_change_of_status_is_told_to_the_support_address(domain, mail_platform, jobs):
    platform_domain = mail_platform.add_domain(domain.name, external_ok=False)
    check(domain, jobs)
    [message] = mail.outbox
    assert message.to == ["support@ville.fr"]
    # The support address has no account: the default language, French.
    assert message.subject == f"Domaine de messagerie {domain.name} : action requise"
    assert "mx.mail.example.net." in message.body  # the records to publish
    assert "The mx record is missing" in message.body
    html = message.alternatives[0][0]
    assert "<table" in html
    check(domain, jobs)  # no change: no e-mail
    assert len(mail.outbox) == 1
    platform_domain.external_ok = True
    assert check(domain, jobs) == MailDomainStatus.ENABLED
    assert mail.outbox[1].subject == f"Domaine de messagerie {domain.name} : actif"


def test_mailboxes_waiting_for_the_domain_are_created_when_it_is_enabled(domain, mail_platform, jobs):
    waiting = MailboxFactory(domain=domain, status=MailboxStatus.PENDING, provisioned=False, local_part="a")
    refused = MailboxFactory(domain=domain, status=MailboxStatus.FAILED, provisioned=False, local_part="b")
    platform_domain = mail_platform.add_domain(domain.name, external_ok=False)
    check(domain, jobs)
    assert mail_platform.requests("POST", "/mailboxes/") == []
    platform_domain.external_ok = True
    check(domain, jobs)
    waiting.refresh_from_db()
    assert waiting.status == MailboxStatus.ENABLED
    assert mail_platform.mailbox(waiting.email) is not None
    assert mail_platform.mailbox(refused.email) is None  # refused for good stays so


def test_a_domain_unknown_to_the_platform_fails_then_is_created_again(mail_platform, jobs):
    domain = MailDomainFactory(status=MailDomainStatus.ENABLED, provisioned=True)
    assert check(domain, jobs) == MailDomainStatus.FAILED
    assert not domain.provisioned
    assert domain.failure["code"] == "domain_unknown"
    assert check(domain, jobs) == MailDomainStatus.ENABLED  # created at the next check
    assert domain.name in mail_platform.domains


def test_a_domain_the_platform_refuses_fails_with_its_words(mail_platform, jobs, client_for):
    domain = MailDomainFactory(name="ville.fr", status=MailDomainStatus.PENDING, provisioned=False)
    mail_platform.outage(422, calls=1)
    assert check(domain, jobs) == MailDomainStatus.FAILED
    assert domain.failure == {"code": "domain_refused", "params": {"detail": "Internal Server Error"}}


def test_disabled_domains_are_left_alone(mail_platform, jobs):
    domain = MailDomainFactory(status=MailDomainStatus.DISABLED)
    mail_platform.add_domain(domain.name)
    assert check(domain, jobs) == MailDomainStatus.DISABLED
    assert mail_platform.requests() == []


def test_the_periodic_job_checks_pending_domains_often_and_enabled_ones_daily(settings, mail_platform, jobs):
    settings.MAIL_DOMAIN_CHECK_INTERVAL_PENDING = 600
    settings.MAIL_DOMAIN_CHECK_INTERVAL_ENABLED = 86400
    now = timezone.now()
    pending = MailDomainFactory(status=MailDomainStatus.PENDING, last_check_at=now - timedelta(minutes=11))
    recent = MailDomainFactory(status=MailDomainStatus.ACTION_REQUIRED, last_check_at=now - timedelta(minutes=5))
    enabled = MailDomainFactory(status=MailDomainStatus.ENABLED, last_check_at=now - timedelta(hours=2))
    stale = MailDomainFactory(status=MailDomainStatus.ENABLED, last_check_at=now - timedelta(days=2))
    never = MailDomainFactory(status=MailDomainStatus.FAILED, last_check_at=None)
    MailDomainFactory(status=MailDomainStatus.DISABLED, last_check_at=None)
    for domain in MailDomain.objects.all():
        mail_platform.add_domain(domain.name)
    with jobs():
        assert provisioning.domains_check_due() == 3
    checked = {str(m.payload["domain_id"]) for m in OutboxMessage.objects.filter(kind="mail.domain_sync")}
    assert checked == {str(pending.pk), str(stale.pk), str(never.pk)}
    assert str(recent.pk) not in checked
    assert str(enabled.pk) not in checked
    with jobs():
        assert provisioning.domains_check_due() == 0  # all just checked
    with freeze_time(now + timedelta(minutes=11)), jobs():
        # The action_required one is due again; those just enabled wait for a day.
        assert provisioning.domains_check_due() == 1
    assert OutboxMessage.objects.filter(kind="mail.domain_sync", payload__domain_id=str(recent.pk)).exists()


def test_a_check_on_its_way_is_not_queued_twice(mail_platform, jobs):
    MailDomainFactory(status=MailDomainStatus.PENDING)
    mail_platform.outage(500)
    with jobs():
        provisioning.domains_check_due()
    with freeze_time(timezone.now() + timedelta(hours=1)), jobs():
        assert provisioning.domains_check_due() == 0
    assert OutboxMessage.objects.filter(kind="mail.domain_sync").count() == 1


def test_the_beat_schedule_runs_the_jobs(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"people.mail.tasks.mail_domains_check_due", "people.mail.tasks.mail_import_all"} <= tasks
    from celery import current_app

    assert {"people.mail.tasks.mail_domains_check_due", "people.mail.tasks.mail_import_all"} <= set(current_app.tasks)
