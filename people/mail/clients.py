"""HTTP client of the suite's mail platform ("dimail"), as the outbox jobs call it.

One request function (`MailPlatformClient._request`) gives every call its timeouts, TLS
verification, the bearer token (renewed once on 401/403) and the outbox message's
`Idempotency-Key`, and turns every failure into the outbox's two errors:

- `TransientError`: the platform may do it later (connection refused, timeout, 5xx, 408, 429,
  People's credentials refused: an operator fixes those, then the same message goes through);
- `PlatformRefused` (a `PermanentError`): it answered that it never will (other 4xx), with the
  status and the platform's words.

A few answers mean something to a call rather than an error (`409` on a domain creation: it
exists; `404` on a deletion: already gone); each method says which. The platform's answers are
read bounded in size and depth, and its passwords are dropped as soon as they arrive: People
never stores, logs nor sends one.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.cache import cache

from people.core import outbox
from people.core.delivery import HTTP_TRANSIENT_4XX, REASON_LENGTH, PermanentError, TransientError
from people.core.untrusted import UntrustedInput, json_loads, read_capped

logger = logging.getLogger("people.mail.platform")

PEER = "mail platform"
MAX_ANSWER_BYTES = 32 * 1024 * 1024
DOMAIN_FEATURES = ["webmail", "mailbox", "alias"]
ALL_DESTINATIONS = "all"


class PlatformRefused(PermanentError):
    """The platform answered a 4xx that another attempt would not change."""

    def __init__(self, status: int, detail: str):
        self.status = status
        self.detail = detail
        super().__init__(f"{PEER} answered {status}" + (f": {detail}" if detail else ""))


def _detail(response: requests.Response, body: Any) -> str:
    """The platform's own words: `detail`, or the messages of a 422 list."""
    if isinstance(body, dict) and body.get("detail") is not None:
        detail = body["detail"]
        if isinstance(detail, list):
            return "; ".join(str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail)
        return str(detail)[:REASON_LENGTH]
    if isinstance(body, list):
        return "; ".join(str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in body)[
            :REASON_LENGTH
        ]
    return " ".join(response.reason.split())[:REASON_LENGTH] if response.reason else ""


class MailPlatformClient:
    def __init__(self) -> None:
        self.url = settings.MAIL_PROVISIONING_API_URL
        self.credentials = settings.MAIL_PROVISIONING_API_CREDENTIALS
        self.timeout = (settings.MAIL_PROVISIONING_API_CONNECT_TIMEOUT, settings.MAIL_PROVISIONING_API_TIMEOUT)
        self.verify = settings.MAIL_PROVISIONING_API_VERIFY_SSL

    # --- plumbing ------------------------------------------------------------------------

    def _token_key(self) -> str:
        digest = hashlib.sha256(f"{self.url}\n{self.credentials}".encode()).hexdigest()[:32]
        return f"mail:platform-token:{digest}"

    def _send(self, method: str, path: str, *, headers: dict[str, str], **kwargs: Any) -> tuple[requests.Response, Any]:
        if not self.url or not self.credentials:
            raise TransientError("no mail platform configured (MAIL_PROVISIONING_API_URL)")
        message_id = outbox.current_message_id()
        if message_id is not None:
            headers = {**headers, "Idempotency-Key": str(message_id)}
        try:
            response = requests.request(
                method, f"{self.url}{path}", headers=headers, timeout=self.timeout, verify=self.verify,
                stream=True, **kwargs,
            )
            raw = read_capped(response, limit=MAX_ANSWER_BYTES)
        except requests.RequestException as error:
            raise TransientError(f"{PEER} unreachable: {type(error).__name__}") from error
        except UntrustedInput as error:
            raise TransientError(f"{PEER} answered too much: {error}") from error
        try:
            body = json_loads(raw) if raw.strip() else None
        except UntrustedInput:
            body = None
        return response, body

    def _token(self, *, renew: bool = False) -> str:
        key = self._token_key()
        token = None if renew else cache.get(key)
        if token:
            return token
        response, body = self._send("GET", "/token/", headers=self._basic())
        if response.status_code in (401, 403):
            raise self._credentials_refused(response)
        self._raise_for(response, body)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise TransientError(f"{PEER} gave no token")
        cache.set(key, token, settings.MAIL_PROVISIONING_TOKEN_TTL)
        return token

    @staticmethod
    def _credentials_refused(response: requests.Response) -> TransientError:
        """Wrong credentials are an operator's to fix, after which the same call goes through."""
        return TransientError(
            f"{PEER} refused People's credentials ({response.status_code}): check MAIL_PROVISIONING_API_CREDENTIALS"
        )

    def _basic(self) -> dict[str, str]:
        return {"Authorization": f"Basic {self.credentials}"}

    @staticmethod
    def _raise_for(response: requests.Response, body: Any) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        detail = _detail(response, body)
        if status >= 500 or status in HTTP_TRANSIENT_4XX:
            raise TransientError(f"{PEER} answered {status}" + (f": {detail}" if detail else ""))
        raise PlatformRefused(status, detail)

    def _request(
        self, method: str, path: str, *, basic: bool = False, meaning: dict[int, str] | None = None, **kwargs: Any
    ) -> tuple[str | None, Any]:
        """(what the answer means, its body): `meaning` names the statuses that are answers of
        this call (None for a 2xx); any other status raises its typed error. Bearer token routes
        get one new token when theirs is refused (expired, or the platform restarted)."""
        if basic:
            response, body = self._send(method, path, headers=self._basic(), **kwargs)
            if response.status_code in (401, 403):
                raise self._credentials_refused(response)
        else:
            response, body = self._send(method, path, headers={"Authorization": f"Bearer {self._token()}"}, **kwargs)
            if response.status_code in (401, 403):
                renewed = self._token(renew=True)
                response, body = self._send(method, path, headers={"Authorization": f"Bearer {renewed}"}, **kwargs)
                if response.status_code in (401, 403):
                    raise TransientError(
                        f"{PEER} refused People's access ({response.status_code}): check that its account "
                        "may manage this domain"
                    )
        meaning = meaning or {}
        if response.status_code in meaning:
            return meaning[response.status_code], body
        self._raise_for(response, body)
        return None, body

    @staticmethod
    def _domain(name: str) -> str:
        return f"/domains/{quote(name, safe='')}"

    # --- domains ---------------------------------------------------------------------------

    def domain_create(self, name: str) -> str:
        """`created`, or `exists` (made earlier: by a lost attempt of ours, or by an operator).
        Each domain has its own webmail context, named after it."""
        outcome, _body = self._request(
            "POST", "/domains/", basic=True, meaning={409: "exists"},
            json={"name": name, "features": DOMAIN_FEATURES, "context_name": name},
        )
        return outcome or "created"

    def domain_check(self, name: str) -> dict[str, Any]:
        _outcome, body = self._request("GET", f"{self._domain(name)}/check/")
        return body if isinstance(body, dict) else {}

    def domain_fix(self, name: str) -> dict[str, Any]:
        _outcome, body = self._request("GET", f"{self._domain(name)}/fix/")
        return body if isinstance(body, dict) else {}

    def domain_spec(self, name: str) -> list[dict[str, str]]:
        """The DNS records the platform expects, as `[{target, type, value}]`."""
        _outcome, body = self._request("GET", f"{self._domain(name)}/spec/")
        records = []
        for item in body if isinstance(body, list) else []:
            if isinstance(item, dict):
                records.append({key: str(item.get(key, "")) for key in ("target", "type", "value")})
        return records

    # --- mailboxes -------------------------------------------------------------------------

    def mailboxes(self, domain: str) -> list[dict[str, Any]]:
        _outcome, body = self._request("GET", f"{self._domain(domain)}/mailboxes/")
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []

    def mailbox_create(
        self, domain: str, local_part: str, *, given_name: str, surname: str, display_name: str
    ) -> str:
        """`created`, or `maybe`: the platform answered 500, which it also does when the
        mailbox exists, or after creating part of it. The password it answers is dropped."""
        outcome, body = self._request(
            "POST", f"{self._domain(domain)}/mailboxes/{quote(local_part, safe='')}",
            meaning={500: "maybe"},
            json={"givenName": given_name, "surName": surname, "displayName": display_name},
        )
        if isinstance(body, dict):
            body.pop("password", None)
        return outcome or "created"

    def mailbox_update(
        self, domain: str, local_part: str, *, given_name: str, surname: str, display_name: str, active: bool
    ) -> None:
        self._request(
            "PATCH", f"{self._domain(domain)}/mailboxes/{quote(local_part, safe='')}",
            json={
                "givenName": given_name, "surName": surname, "displayName": display_name,
                "active": "yes" if active else "no",
            },
        )

    def mailbox_reset_password(self, domain: str, local_part: str) -> None:
        """The platform makes a new password and answers it: dropped, since mailboxes' owners
        sign in with a one-time link and choose their own."""
        _outcome, body = self._request(
            "POST", f"{self._domain(domain)}/mailboxes/{quote(local_part, safe='')}/reset_password/"
        )
        if isinstance(body, dict):
            body.pop("password", None)

    def mailbox_login_code(self, domain: str, local_part: str) -> str:
        """A one-time code that signs the mailbox's owner in to the webmail."""
        _outcome, body = self._request("POST", f"{self._domain(domain)}/mailboxes/{quote(local_part, safe='')}/code/")
        code = body.get("code") if isinstance(body, dict) else None
        if not isinstance(code, str) or not code:
            raise TransientError(f"{PEER} gave no login code")
        return code

    # --- aliases ---------------------------------------------------------------------------

    def aliases(self, domain: str) -> list[dict[str, Any]]:
        _outcome, body = self._request("GET", f"{self._domain(domain)}/aliases/")
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []

    def alias_create(self, domain: str, local_part: str, destination: str) -> str:
        """`created`, or `exists` (the same name and destination are there already)."""
        outcome, _body = self._request(
            "POST", f"{self._domain(domain)}/aliases/", meaning={409: "exists"},
            json={"user_name": local_part, "destination": destination},
        )
        return outcome or "created"

    def alias_delete(self, domain: str, local_part: str, destination: str = ALL_DESTINATIONS) -> str:
        """`deleted`, or `absent` (nothing of that name and destination there: done already)."""
        outcome, _body = self._request(
            "DELETE",
            f"{self._domain(domain)}/aliases/{quote(local_part, safe='')}/{quote(destination, safe='')}",
            meaning={404: "absent"},
        )
        return outcome or "deleted"
