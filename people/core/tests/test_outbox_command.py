"""`manage.py outbox list|retry|purge`."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from people.core import outbox
from people.core.models import AuditEntry, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

sent: list[dict] = []


@outbox.handler("test.command")
def _send(payload):
    sent.append(payload)


@pytest.fixture(autouse=True)
def _reset():
    sent.clear()


def run(*args):
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def test_list_filters_by_state_and_kind():
    failed = OutboxMessage.objects.create(
        kind="test.command", recipient="gone@example.fr", status=OutboxStatus.FAILED, attempts=1,
        last_error="PermanentError: recipient refused: gone@example.fr: 550 No such user",
    )
    OutboxMessage.objects.create(kind="test.other", recipient="peer.example.test")
    lines = run("list", "--state", "failed").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{failed.pk}  test.command  gone@example.fr  failed  attempts=1/10  age=")
    assert "550 No such user" in lines[0]
    assert "peer.example.test" in run("list", "--kind", "test.other")
    assert run("list", "--kind", "nothing") == ""


def test_retry_ids_and_failed(django_capture_on_commit_callbacks):
    one = OutboxMessage.objects.create(kind="test.command", payload={"n": 1}, status=OutboxStatus.FAILED, attempts=10)
    two = OutboxMessage.objects.create(kind="test.command", payload={"n": 2}, status=OutboxStatus.FAILED, attempts=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert run("retry", str(one.pk).upper()) == "1 message(s) queued again.\n"
    assert sent == [{"n": 1}]
    with django_capture_on_commit_callbacks(execute=True):
        run("retry", "--failed")
    assert sent == [{"n": 1}, {"n": 2}]
    two.refresh_from_db()
    assert two.status == OutboxStatus.DELIVERED
    assert AuditEntry.objects.filter(action="outboxmessage.retry", audience="operator").count() == 2


@pytest.mark.parametrize("args", [["retry"], ["retry", "nope"], ["retry", str(uuid.UUID(int=7))], ["retry", "--failed", "x"]])
def test_retry_refuses_unknown_ids_and_changes_nothing(args):
    message = OutboxMessage.objects.create(kind="test.command", status=OutboxStatus.FAILED)
    with pytest.raises(CommandError):
        run(*args)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert not AuditEntry.objects.exists()


def test_purge_deletes_only_old_delivered_messages():
    now = timezone.now()
    old = OutboxMessage.objects.create(kind="test.command", status=OutboxStatus.DELIVERED, delivered_at=now - timedelta(days=40))
    recent = OutboxMessage.objects.create(kind="test.command", status=OutboxStatus.DELIVERED, delivered_at=now - timedelta(days=2))
    failed = OutboxMessage.objects.create(kind="test.command", status=OutboxStatus.FAILED, created_at=now - timedelta(days=90))
    assert run("purge", "--sent-older-than", "30") == "1 delivered message(s) deleted.\n"
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, failed.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    with pytest.raises(CommandError):
        run("purge", "--sent-older-than", "-1")
