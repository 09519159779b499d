"""A real SMTP server on loopback (aiosmtpd in a thread) that answers chosen codes.

Tests point Django's SMTP backend at it and choose, per recipient, the answer to `RCPT TO`
(`refuse={"gone@example.fr": "550 5.1.1 No such user"}`), to `MAIL FROM` (`mail_answer`) or to
the message's data (`data_answer="451 4.3.0 Try later"`); everything accepted is kept in `received`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.peers.oidc.fixtures import free_port


@dataclass
class SmtpPeer:
    refuse: dict[str, str] = field(default_factory=dict)
    data_answer: str | None = None
    mail_answer: str | None = None
    received: list[Message] = field(default_factory=list)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if self.mail_answer:
            return self.mail_answer
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.data_answer:
            return self.data_answer
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_peer(settings):
    """Django sends real SMTP to a local server for the duration of the test."""
    peer = SmtpPeer()
    controller = Controller(peer, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield peer
    finally:
        controller.stop()
