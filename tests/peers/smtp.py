"""A real SMTP server on loopback (aiosmtpd in a thread) that answers chosen codes.

Tests point Django's SMTP backend at it and choose, per recipient, the answer to `RCPT TO`
(`refuse={"gone@example.fr": "550 5.1.1 No such user"}`), to `MAIL FROM` (`mail_answer`) or to
the message's data (`data_answer="451 4.3.0 Try later"`), and how long it takes to accept a
message (`delay`: deliveries stay in flight, so that a worker can be killed in the middle of
them). Everything accepted is kept in `received`, with the envelope's recipients; the scale
test's processes send to it from other processes (`SmtpServer`).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.peers.oidc.fixtures import free_port


@dataclass
class Received:
    message: Message
    recipients: list[str]

    @property
    def message_id(self) -> str | None:
        return self.message.get("Message-ID")


@dataclass
class SmtpPeer:
    refuse: dict[str, str] = field(default_factory=dict)
    data_answer: str | None = None
    mail_answer: str | None = None
    delay: float = 0.0
    envelopes: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def received(self) -> list[Message]:
        with self.lock:
            return [item.message for item in self.envelopes]

    def per_recipient(self, suffix: str = "") -> Counter:
        """Messages accepted per envelope recipient (ending with `suffix`)."""
        with self.lock:
            return Counter(
                address for item in self.envelopes for address in item.recipients if address.endswith(suffix)
            )

    def message_ids(self) -> set[tuple[str, str | None]]:
        """(recipient, Message-ID) of every message accepted."""
        with self.lock:
            return {(address, item.message_id) for item in self.envelopes for address in item.recipients}

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
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.envelopes.append(Received(message, list(envelope.rcpt_tos)))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    """`SmtpPeer` (its `handler`) listening on a free loopback port between start and stop."""

    def __init__(self, handler: SmtpPeer | None = None) -> None:
        self.handler = handler or SmtpPeer()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.started = False

    def start(self) -> None:
        self.controller.start()
        self.started = True

    def stop(self) -> None:
        if self.started:
            self.controller.stop()
            self.started = False


@pytest.fixture
def smtp_peer(settings):
    """Django sends real SMTP to a local server for the duration of the test."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server.handler
    finally:
        server.stop()
