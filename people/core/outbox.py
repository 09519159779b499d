"""Durable outbound work: enqueue in the transaction of a change, deliver in the background.

- `enqueue(kind, payload, recipient=...)` writes an `OutboxMessage` in the current transaction
  and, once the transaction commits, asks the job runner to deliver it. The request never waits
  on a peer.
- Handlers are registered per kind with `@handler("kind")`, in each app's `tasks.py`.
  A handler raises `TransientError` (or any unexpected exception) to be retried with
  exponential backoff (never sooner than the error's `retry_after`, a peer's `Retry-After`),
  `PermanentError` to be recorded as failed at once (see `people.core.delivery`, which
  classifies SMTP and HTTP answers). A kind registered with a `max_age` is retried until the
  message is that old (and within its attempts), then failed.
- Messages given the same `ordering_key` (one object at a peer) are delivered in the order
  they were enqueued: one waits while an earlier one of its key is pending (in backoff too), and
  is delivered as soon as that one is delivered or has failed for good.
- Delivery is at least once: a worker that dies after the peer accepted a message sends it again
  when its lock (`OUTBOX_LOCK_SECONDS`) expires. Handlers give peers the identity of the message
  (`current_message_id()`, the same at every attempt) so that they can drop the copy.
- The runner depends on settings.JOBS_MODE: "thread" (an in-process worker, embedded mode),
  "celery" (production: a task per message plus a periodic sweep), "eager" (right after the
  commit, in the same thread: tests).
"""

from __future__ import annotations

import contextvars
import logging
import random
import threading
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from people.core import audit, beat
from people.core.delivery import PermanentError, TransientError
from people.core.models import Audience, OutboxMessage, OutboxStatus

__all__ = ["PermanentError", "TransientError", "current_message_id", "deliver", "enqueue", "handler"]

logger = logging.getLogger("people.outbox")

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, Handler] = {}
_max_ages: dict[str, Callable[[], timedelta]] = {}
_current: contextvars.ContextVar[Any] = contextvars.ContextVar("outbox_message_id", default=None)


def handler(kind: str, *, max_age: Callable[[], timedelta] | None = None) -> Callable[[Handler], Handler]:
    """`max_age`: a function giving how long the kind's messages are retried (read at each
    failure, so that settings overridden in tests apply)."""

    def register(function: Handler) -> Handler:
        _handlers[kind] = function
        if max_age is not None:
            _max_ages[kind] = max_age
        return function

    return register


def current_message_id() -> Any:
    """The id of the outbox row being delivered (None outside a delivery).

    Handlers keep one argument, the payload; the identity they give peers (Message-ID,
    Idempotency-Key) comes from here and is the same at every attempt of the row.
    """
    return _current.get()


def enqueue(
    kind: str,
    payload: dict[str, Any],
    *,
    recipient: str = "",
    max_attempts: int | None = None,
    ordering_key: str = "",
) -> OutboxMessage:
    """`recipient` (an e-mail address, a peer's host) lets operators find a message.

    `ordering_key`: messages of one key are delivered in the order of their enqueueing. Callers
    enqueue a key's messages under a lock of its object (the row of the mailbox...), so that
    this order is the order of the changes; each message is dated after the key's latest one,
    whatever the clocks of the machines that wrote them.
    """
    if kind not in _handlers:
        raise ValueError(f"no outbox handler registered for {kind!r}")
    created_at = timezone.now()
    if ordering_key:
        latest = (
            OutboxMessage.objects.filter(ordering_key=ordering_key)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if latest is not None and latest >= created_at:
            created_at = latest + timedelta(microseconds=1)
    message = OutboxMessage.objects.create(
        kind=kind,
        payload=payload,
        recipient=recipient[: OutboxMessage._meta.get_field("recipient").max_length],
        max_attempts=max_attempts or settings.OUTBOX_MAX_ATTEMPTS,
        ordering_key=ordering_key,
        created_at=created_at,
        next_attempt_at=created_at,
    )
    transaction.on_commit(lambda: kick(message.pk))
    return message


def _earlier_pending(key: Any, created_at: Any):
    """Pending messages of the key enqueued before `created_at` (expressions accepted)."""
    return OutboxMessage.objects.filter(ordering_key=key, status=OutboxStatus.PENDING, created_at__lt=created_at)


def _not_blocked() -> Q:
    """Messages that no earlier pending message of their key holds back."""
    return Q(ordering_key="") | ~Exists(_earlier_pending(OuterRef("ordering_key"), OuterRef("created_at")))


def backoff(attempts: int) -> timedelta:
    base, ceiling = settings.OUTBOX_BACKOFF_BASE_SECONDS, settings.OUTBOX_BACKOFF_MAX_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), ceiling)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 (jitter, not crypto)


def _wait(attempts: int, error: BaseException) -> timedelta:
    """The backoff, or longer when the peer asked for it (`Retry-After`), up to the ceiling."""
    wait = backoff(attempts)
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int | float) and retry_after > 0:
        asked = min(float(retry_after), float(settings.OUTBOX_BACKOFF_MAX_SECONDS))
        wait = max(wait, timedelta(seconds=asked))
    return wait


def _too_old(message: OutboxMessage) -> bool:
    max_age = _max_ages.get(message.kind)
    return max_age is not None and timezone.now() - message.created_at >= max_age()


def _claim(message_id: Any) -> OutboxMessage | None:
    """Lock a due message for OUTBOX_LOCK_SECONDS so that no other worker delivers it meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        message = rows.first()
        if message is None or message.next_attempt_at > now:
            return None
        if message.locked_until and message.locked_until > now:
            return None
        if message.ordering_key and _earlier_pending(message.ordering_key, message.created_at).exists():
            return None  # delivered once the earlier one is done (see `_kick_next`)
        message.locked_until = now + timedelta(seconds=settings.OUTBOX_LOCK_SECONDS)
        message.last_attempt_at = now
        message.attempts += 1
        message.save(update_fields=["locked_until", "last_attempt_at", "attempts", "updated_at"])
    return message


def _log(level: int, text: str, message: OutboxMessage) -> None:
    """One line per attempt, with what operators search by, in both log formats."""
    logger.log(
        level,
        text,
        extra={
            "outbox_id": str(message.pk),
            "kind": message.kind,
            "recipient": message.recipient,
            "attempt": message.attempts,
            "max_attempts": message.max_attempts,
            "status": message.status,
            "error": message.last_error or None,
        },
    )


def deliver(message_id: Any) -> str | None:
    """Deliver one message if it is due. Returns its new status, or None if not claimed."""
    message = _claim(message_id)
    if message is None:
        return None
    function = _handlers.get(message.kind)
    token = _current.set(message.pk)
    try:
        if function is None:
            raise PermanentError(f"no handler for kind {message.kind!r}")
        function(message.payload)
    except PermanentError as error:
        message.status = OutboxStatus.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:4000]
        outcome = (logging.ERROR, "outbox delivery refused for good")
    except Exception as error:  # noqa: BLE001 - any other failure is retried
        message.last_error = f"{type(error).__name__}: {error}"[:4000]
        if message.attempts >= message.max_attempts or _too_old(message):
            message.status = OutboxStatus.FAILED
            outcome = (logging.ERROR, "outbox delivery gave up")
        else:
            message.next_attempt_at = timezone.now() + _wait(message.attempts, error)
            outcome = (logging.WARNING, "outbox delivery will be retried")
    else:
        message.status = OutboxStatus.DELIVERED
        message.delivered_at = timezone.now()
        message.last_error = ""
        outcome = (logging.INFO, "outbox delivery done")
    finally:
        _current.reset(token)
    message.locked_until = None
    message.save(update_fields=["status", "last_error", "next_attempt_at", "locked_until", "delivered_at", "updated_at"])
    _log(*outcome, message)
    if message.ordering_key and message.status != OutboxStatus.PENDING:
        _kick_next(message)
    return message.status


def _kick_next(message: OutboxMessage) -> None:
    """The next message of the key waited for this one: deliver it now rather than at the sweep."""
    following = (
        OutboxMessage.objects.filter(
            ordering_key=message.ordering_key, status=OutboxStatus.PENDING, created_at__gt=message.created_at
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        kick(following)  # its status was saved: no transaction to wait for


def due_ids(limit: int = 100) -> list[Any]:
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(_not_blocked(), status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(limit: int = 100) -> int:
    """Deliver every due message (up to `limit`); returns how many were attempted."""
    count = 0
    for message_id in due_ids(limit):
        if deliver(message_id) is not None:
            count += 1
    return count


def retry_now(message: OutboxMessage) -> None:
    """Operator action: put a failed or waiting message back in the queue, due now."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), locked_until=None,
        max_attempts=max(message.max_attempts, message.attempts + 1), updated_at=timezone.now(),
    )
    transaction.on_commit(lambda: kick(message.pk))


_STATES = {OutboxStatus.PENDING: "pending", OutboxStatus.DELIVERED: "sent", OutboxStatus.FAILED: "failed"}
_TYPED_PREFIXES = (f"{PermanentError.__name__}: ", f"{TransientError.__name__}: ")


def delivery_state(message: OutboxMessage) -> dict[str, Any]:
    """The state of a message as the person who caused it is shown it.

    The reason of a typed error is the peer's answer (a refused address...) and is shown; any
    other error is internal, and its details stay in the logs and the admin.
    """
    error: str | None = None
    if message.status != OutboxStatus.DELIVERED and message.last_error:
        if message.last_error.startswith(_TYPED_PREFIXES):
            error = message.last_error.partition(": ")[2]
        else:
            error = "unexpected error while sending; operators can see its details"
    return {"state": _STATES[message.status], "error": error, "updated_at": message.updated_at}


@transaction.atomic
def outbox_retry(*, actor: Any, messages: Iterable[OutboxMessage]) -> int:
    """An operator puts messages back in the queue (admin action, `manage.py outbox retry`);
    each retry is audited. Returns how many."""
    count = 0
    for message in messages:
        retry_now(message)
        audit.record(actor=actor, action="outboxmessage.retry", target=message, audience=Audience.OPERATOR)
        count += 1
    return count


def purge_delivered(*, older_than: timedelta) -> int:
    """Delete delivered messages older than `older_than`; returns how many went."""
    cutoff = timezone.now() - older_than
    _, deleted = OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED, delivered_at__lt=cutoff).delete()
    return deleted.get(OutboxMessage._meta.label, 0)


# --- runners -----------------------------------------------------------------------------


def kick(message_id: Any) -> None:
    mode = settings.JOBS_MODE
    if mode == "eager":
        deliver(message_id)
    elif mode == "celery":
        from people.core.tasks import outbox_deliver

        try:
            outbox_deliver.delay(str(message_id))
        except Exception:  # noqa: BLE001 - the periodic sweep delivers it later
            logger.warning("could not queue outbox delivery; the periodic sweep will", exc_info=True)
    else:
        _worker.wake()


class _Worker:
    """The in-process job runner of the embedded mode: one daemon thread polling the outbox,
    and running the periodic jobs of CELERY_BEAT_SCHEDULE (`people.core.beat`).

    Each serving process runs its own (each Gunicorn worker, see `config/gunicorn.py`); rows
    are locked while sent, so that two of them never deliver the same message."""

    POLL_SECONDS = 5.0

    def __init__(self) -> None:
        self._event = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if not self.running:
                self._stopping.clear()
                self._thread = threading.Thread(target=self._run, name="people-outbox", daemon=True)
                self._thread.start()

    def wake(self) -> None:
        self.start()
        self._event.set()

    def stop(self, timeout: float) -> bool:
        """Let the batch being sent finish, then end the thread; False if it is still busy
        after `timeout` seconds (what it had not sent stays due for the next runner)."""
        with self._lock:
            thread = self._thread
            self._stopping.set()
            self._event.set()
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._event.wait(self.POLL_SECONDS)
            self._event.clear()
            if self._stopping.is_set():
                break
            try:
                close_old_connections()
                while deliver_due() > 0 and not self._stopping.is_set():
                    pass
                beat.run_due()  # the periodic jobs, which Celery beat runs in production
            except Exception:  # noqa: BLE001 - the worker must survive anything
                logger.exception("outbox worker loop failed")
            finally:
                close_old_connections()
        connection.close()


_worker = _Worker()


def start_worker() -> bool:
    """Start the in-process worker of a serving process when jobs run in process; True if
    it runs. Gunicorn calls it in each worker once the application is loaded."""
    if settings.JOBS_MODE != "thread":
        return False
    _worker.start()
    return True


def stop_worker(timeout: float = 10.0) -> bool:
    """Stop the in-process worker (Gunicorn calls it as a worker exits); True once stopped."""
    return _worker.stop(timeout)


def start_worker_if_configured() -> None:
    """Start the in-process worker in Django's development server (`make dev`): in the
    reloader's child, or at once with --noreload. Gunicorn starts it from its hooks instead,
    in each worker after the fork, as a thread started before a fork does not survive it."""
    import os
    import sys

    argv = " ".join(sys.argv)
    if "runserver" in argv and (os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv):
        start_worker()
