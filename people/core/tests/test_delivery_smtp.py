"""SMTP answers become typed errors: refusals of a message fail at once, outages are retried.

Django's SMTP backend talks to a real SMTP server on loopback (`smtp_peer`, aiosmtpd).
"""

import smtplib
import socket
import threading

import pytest
from django.core.mail import EmailMessage

from people.core import delivery
from people.core.delivery import PermanentError, TransientError
from tests.peers.oidc.fixtures import free_port


def send(to="guest@example.fr", outbox_id="0f0e0d0c-0000-4000-8000-000000000001"):
    delivery.send_email(EmailMessage(subject="Hi", body="Hello", to=[to]), outbox_id=outbox_id)


def test_accepted_message_carries_its_outbox_identity(smtp_peer, settings):
    settings.DEFAULT_FROM_EMAIL = "People <noreply@people.gouv.fr>"
    send()
    (received,) = smtp_peer.received
    assert received["Message-ID"] == "<0f0e0d0c-0000-4000-8000-000000000001@people.gouv.fr>"
    assert received["To"] == "guest@example.fr"


@pytest.mark.parametrize(
    ("answer", "error", "reason"),
    [
        ("550 5.1.1 No such user", PermanentError, "recipient refused: gone@example.fr: 550 5.1.1 No such user"),
        ("451 4.2.0 Mailbox busy", TransientError, "recipient refused: gone@example.fr: 451 4.2.0 Mailbox busy"),
    ],
)
def test_refused_recipient(smtp_peer, answer, error, reason):
    smtp_peer.refuse["gone@example.fr"] = answer
    with pytest.raises(error) as raised:
        send(to="gone@example.fr")
    assert str(raised.value) == reason
    assert smtp_peer.received == []


@pytest.mark.parametrize(
    ("answer", "error"),
    [("554 5.7.1 Message rejected as spam", PermanentError), ("451 4.3.0 Try again later", TransientError)],
)
def test_refused_data(smtp_peer, answer, error):
    smtp_peer.data_answer = answer
    with pytest.raises(error, match=f"message refused: {answer}"):
        send()


@pytest.mark.parametrize(
    ("answer", "error"),
    [("553 5.1.8 Sender domain does not exist", PermanentError), ("421 4.7.0 Too many connections", TransientError)],
)
def test_refused_sender(smtp_peer, answer, error):
    smtp_peer.mail_answer = answer
    with pytest.raises(error):
        send()


def test_connection_refused_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    with pytest.raises(TransientError, match="mail server unreachable: ConnectionRefusedError"):
        send()


def _silent_server(*, close: bool):
    """A TCP server that accepts one connection, then closes it at once or says nothing."""
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def serve():
        connection, _ = server.accept()
        if not close:
            done.wait(5)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return server, done


@pytest.mark.parametrize(
    ("close", "reason"),
    [(True, "mail server closed the connection"), (False, "mail server closed the connection: .*timed out")],
)
def test_dropped_or_silent_server_is_transient(settings, close, reason):
    server, done = _silent_server(close=close)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_TIMEOUT = 0.3
    try:
        with pytest.raises(TransientError, match=reason):
            send()
    finally:
        done.set()
        server.close()


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (smtplib.SMTPResponseException(552, b"Mailbox full"), PermanentError),
        (smtplib.SMTPResponseException(452, b"Insufficient storage"), TransientError),
        # The server refusing the session is an outage or a setting to fix, not this message's fault.
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), TransientError),
        (smtplib.SMTPConnectError(554, b"No service"), TransientError),
        (smtplib.SMTPRecipientsRefused({"a@x.fr": (550, b"no"), "b@x.fr": (450, b"later")}), TransientError),
    ],
)
def test_answers_without_a_session(error, kind):
    assert type(delivery.classify_smtp_error(error)) is kind
