import json
import logging

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
