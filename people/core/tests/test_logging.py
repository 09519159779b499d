import json
import logging

import pytest

from people.core.logging import JsonFormatter


def test_json_formatter_keeps_extra_fields():
    record = logging.LogRecord("people.outbox", logging.WARNING, __file__, 1, "retry %s", ("later",), None)
    record.kind = "teams.invitation_email"
    record.attempts = 2
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "retry later"
    assert data["level"] == "WARNING"
    assert data["kind"] == "teams.invitation_email"
    assert data["attempts"] == 2


def test_text_formatter_keeps_extra_fields():
    from people.core.logging import TextFormatter

    record = logging.LogRecord("people.outbox", logging.ERROR, __file__, 1, "outbox delivery refused for good", (), None)
    record.outbox_id = "abc"
    record.error = "PermanentError: recipient refused: 550"
    record.attempt = 1
    line = TextFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert line == (
        'ERROR people.outbox outbox delivery refused for good outbox_id="abc" '
        'error="PermanentError: recipient refused: 550" attempt=1'
    )


@pytest.mark.django_db
def test_every_delivery_is_logged_with_its_id_kind_recipient_attempt_and_error(caplog):
    from people.core import outbox
    from people.core.models import OutboxMessage

    @outbox.handler("test.logged")
    def refuse(payload):
        raise outbox.PermanentError("recipient refused: 550 No such user")

    message = OutboxMessage.objects.create(kind="test.logged", recipient="gone@example.fr")
    with caplog.at_level(logging.INFO, logger="people.outbox"):
        outbox.deliver(message.pk)
    (record,) = [r for r in caplog.records if r.name == "people.outbox"]
    assert record.levelno == logging.ERROR
    assert (record.outbox_id, record.kind, record.recipient, record.attempt) == (str(message.pk), "test.logged", "gone@example.fr", 1)
    assert record.error == "PermanentError: recipient refused: 550 No such user"
    data = json.loads(JsonFormatter().format(record))
    assert data["outbox_id"] == str(message.pk)
    assert data["error"] == record.error
