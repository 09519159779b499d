"""Telling an onboarding (marketing e-mail) service about each new account.

The sign-in only enqueues an outbox message in its transaction (`onboarding_enqueue`); the
delivery happens in the background (`onboarding_deliver`, registered in `tasks.py`), is
retried with backoff on transient failures, and never blocks nor fails a sign-in.

Backends (`ONBOARDING_BACKEND`): "none" (default: nothing is enqueued), "http" (the
contact-creation API of an e-mailing service: `ONBOARDING_API_URL`, `ONBOARDING_API_KEY`,
`ONBOARDING_LIST_ID`), or the dotted path of a class with the same interface.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.module_loading import import_string

from people.core import outbox
from people.core.delivery import PermanentError, http_call
from people.core.models import OutboxMessage
from people.identity.models import User

logger = logging.getLogger("people.identity.onboarding")

KIND = "identity.onboarding"


class OnboardingBackend:
    """Interface: `user_created(user=...)` raises TransientError to be retried later,
    PermanentError to give up; any other exception is retried too."""

    enabled = True

    def user_created(self, *, user: User) -> None:
        raise NotImplementedError


class NoOpBackend(OnboardingBackend):
    enabled = False

    def user_created(self, *, user: User) -> None:
        return None


class HttpContactBackend(OnboardingBackend):
    """Creates (or updates) the contact in a list of an e-mailing service.

    `POST ONBOARDING_API_URL` with header `api-key` and JSON
    `{"email", "attributes": {"FIRSTNAME", "LASTNAME"}, "listIds": [ONBOARDING_LIST_ID],
    "updateEnabled": true}` and the outbox row's `Idempotency-Key`. 2xx, and 400
    `duplicate_parameter` (already a contact), are success; the rest is classified by
    `people.core.delivery` (408, 429, 5xx and network errors transient, other 4xx permanent).
    """

    def __init__(self) -> None:
        if not settings.ONBOARDING_API_URL or not settings.ONBOARDING_API_KEY:
            raise PermanentError("ONBOARDING_API_URL and ONBOARDING_API_KEY are required by the http backend")
        self.url = settings.ONBOARDING_API_URL
        self.api_key = settings.ONBOARDING_API_KEY
        self.list_id = settings.ONBOARDING_LIST_ID
        self.timeout = settings.ONBOARDING_TIMEOUT

    @staticmethod
    def payload(user: User, list_id: int | None) -> dict[str, Any]:
        first = user.short_name or ""
        last = user.name or ""
        if first and last.startswith(first):
            last = last[len(first):].strip()
        body: dict[str, Any] = {
            "email": user.email,
            "attributes": {"FIRSTNAME": first, "LASTNAME": last},
            "updateEnabled": True,
        }
        if list_id is not None:
            body["listIds"] = [list_id]
        return body

    def user_created(self, *, user: User) -> None:
        http_call(
            "POST",
            self.url,
            peer="onboarding service",
            timeout=self.timeout,
            idempotency_key=outbox.current_message_id(),
            accept=_already_a_contact,
            json=self.payload(user, self.list_id),
            headers={"api-key": self.api_key, "Accept": "application/json"},
        )


def _already_a_contact(response: requests.Response) -> bool:
    """The service answers 400 `duplicate_parameter` for a contact it has: the goal is met."""
    if response.status_code != 400:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") == "duplicate_parameter"


def get_backend() -> OnboardingBackend:
    name = settings.ONBOARDING_BACKEND
    if name == "none":
        return NoOpBackend()
    if name == "http":
        return HttpContactBackend()
    backend = import_string(name)()
    if not isinstance(backend, OnboardingBackend):
        raise PermanentError(f"{name} is not an OnboardingBackend")
    return backend


def onboarding_enqueue(*, user: User) -> OutboxMessage | None:
    """Queue the onboarding of a new account, in the caller's transaction (None: no backend)."""
    if settings.ONBOARDING_BACKEND == "none" or not user.email:
        return None
    target = urlsplit(settings.ONBOARDING_API_URL or "").hostname or settings.ONBOARDING_BACKEND
    return outbox.enqueue(KIND, {"user_id": str(user.pk)}, recipient=target)


def onboarding_deliver(payload: dict[str, Any]) -> None:
    """Outbox handler: a deleted account or one without e-mail has nothing left to onboard."""
    user = User.objects.filter(pk=payload.get("user_id")).first()
    if user is None or not user.email:
        logger.info("onboarding skipped: account gone or without e-mail", extra={"user_id": payload.get("user_id")})
        return
    get_backend().user_created(user=user)
