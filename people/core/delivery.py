"""What a peer's answer means for the outbox: try again later, or never.

Every outbound client (e-mail, onboarding, SCIM push, the mail platform) turns its failures
into one of two errors, so that the outbox treats them the same way:

- `TransientError`: the peer may accept later (connection refused, timeout, SMTP 4xx, a
  dropped SMTP session, HTTP 5xx, 408, 429). Retried with backoff.
- `PermanentError`: the peer answered that it will never accept this message (SMTP 5xx about
  the recipient, the sender or the data; HTTP 4xx other than 408 and 429). Recorded as failed at
  once, with the peer's reason, instead of being retried for hours.

Delivery is at least once: a worker that dies after the peer accepted a message but before the
outbox recorded it sends it again once its lock expires. Each message therefore carries an
identity that stays the same across attempts (the e-mail's `Message-ID`, the HTTP
`Idempotency-Key` header), derived from its outbox row, so that receivers can drop the copy.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.mail import EmailMessage

# Status codes after which the same request may succeed (RFC 9110: 408 Request Timeout,
# RFC 6585: 429 Too Many Requests); every other 4xx is the peer's final word.
HTTP_TRANSIENT_4XX = frozenset({408, 429})
REASON_LENGTH = 300


class DeliveryError(Exception):
    """A delivery that did not happen, with the reason operators and users are shown."""


class TransientError(DeliveryError):
    """The peer may accept later (timeout, 5xx, 429, SMTP 4xx): retry with backoff.

    `retry_after` (seconds): the peer said when to come back (`Retry-After`); the outbox waits
    at least that long, and at most OUTBOX_BACKOFF_MAX_SECONDS.
    """

    def __init__(self, reason: str = "", *, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    """The peer will never accept this message (4xx, SMTP 5xx): record and stop."""


def _smtp_text(message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return " ".join(text.split())[:REASON_LENGTH]


def _by_code(code: int, reason: str) -> DeliveryError:
    return PermanentError(reason) if 500 <= code < 600 else TransientError(reason)


def classify_smtp_error(error: BaseException) -> DeliveryError:
    """The typed error for what an SMTP server (or the way to it) answered.

    Only refusals of this message are permanent: its recipients, its sender, its data. A server
    that refuses the session (greeting, authentication) or drops it is an outage or a
    configuration to fix, after which the same message goes through: it is retried.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = error.recipients.items()
        reason = "; ".join(f"{address}: {code} {_smtp_text(text)}" for address, (code, text) in refusals)
        permanent = bool(refusals) and all(500 <= code < 600 for _, (code, _) in refusals)
        return (PermanentError if permanent else TransientError)(f"recipient refused: {reason}")
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        what = "sender" if isinstance(error, smtplib.SMTPSenderRefused) else "message"
        return _by_code(error.smtp_code, f"{what} refused: {error.smtp_code} {_smtp_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
        error, smtplib.SMTPConnectError | smtplib.SMTPHeloError | smtplib.SMTPAuthenticationError
    ):
        return _by_code(error.smtp_code, f"mail server answered {error.smtp_code} {_smtp_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        return TransientError(f"mail server refused the session: {error.smtp_code} {_smtp_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return TransientError(f"mail server closed the connection: {_smtp_text(str(error))}")
    return TransientError(f"mail server unreachable: {type(error).__name__}: {_smtp_text(str(error))}")


def email_message_id(outbox_id: Any) -> str:
    """The `Message-ID` of the e-mail of one outbox row: the same at every attempt."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    domain = domain or urlsplit(settings.PUBLIC_URL).hostname or "people.localhost"
    return f"<{outbox_id}@{domain}>"


def send_email(message: EmailMessage, *, outbox_id: Any) -> None:
    """Send one e-mail of the outbox, with its stable identity, raising only typed errors."""
    message.extra_headers["Message-ID"] = email_message_id(outbox_id)
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise classify_smtp_error(error) from error


def retry_after_seconds(response: requests.Response) -> float | None:
    """The wait a `Retry-After` header asks for (RFC 9110 §10.2.3: seconds, or an HTTP date),
    None when absent or unreadable."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def classify_http_response(response: requests.Response, *, peer: str) -> None:
    """Return on 2xx; raise the typed error of any other answer, with the peer's reason."""
    status = response.status_code
    if 200 <= status < 300:
        return
    body = " ".join(response.text.split())[:REASON_LENGTH] if response.content else ""
    reason = f"{peer} answered {status}" + (f": {body}" if body else "")
    if status >= 500 or status in HTTP_TRANSIENT_4XX:
        raise TransientError(reason, retry_after=retry_after_seconds(response))
    raise PermanentError(reason)


def http_call(
    method: str,
    url: str,
    *,
    peer: str,
    timeout: float,
    idempotency_key: Any = None,
    accept: Callable[[requests.Response], bool] | None = None,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One HTTP request to a peer, TLS verified, with the message's `Idempotency-Key`.

    `accept` lets a caller take a non-2xx answer as success (e.g. "already exists"). Redirects
    are not followed: a peer's URL is configured as it is, and a redirect could lead the call
    (and its credentials) to a host that was never allowed; a 3xx is a permanent failure.
    """
    headers = dict(headers or {})
    if idempotency_key is not None:
        headers["Idempotency-Key"] = str(idempotency_key)
    try:
        response = requests.request(
            method, url, headers=headers, timeout=timeout, verify=True, allow_redirects=False, **kwargs
        )
    except requests.RequestException as error:
        raise TransientError(f"{peer} unreachable: {type(error).__name__}") from error
    if accept is not None and accept(response):
        return response
    classify_http_response(response, peer=peer)
    return response
