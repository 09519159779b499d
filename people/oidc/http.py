"""Every HTTP call to the provider goes through `call()`: one pooled session per thread
(keep-alive), `OIDC_TIMEOUT` (or the caller's timeout), TLS verified unless
`OIDC_VERIFY_SSL` is off, answers read in a stream and refused beyond
`OIDC_OP_MAX_RESPONSE_SIZE` bytes, JSON read with a bounded depth, statuses mapped to typed
errors (4xx `ProviderRefused`: an operator must act; 5xx and network failures
`ProviderUnavailable`: retry later), and its time observed by endpoint kind and outcome
(`people_oidc_provider_request_duration_seconds`): a slow provider shows before it times out.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import requests
from django.conf import settings

from people.core.monitoring import PROVIDER_LATENCY
from people.core.untrusted import UntrustedInput, json_loads, read_capped
from people.oidc.errors import ProviderRefused, ProviderUnavailable, UnusableAnswer

logger = logging.getLogger("people.oidc")

_local = threading.local()

EndpointKind = Literal["token", "userinfo", "jwks", "discovery", "introspection"]


@dataclass(frozen=True)
class Answer:
    """A 200 answer of the provider, already read (and bounded)."""

    url: str
    content_type: str  # media type only, lower-case: "application/jwt"
    body: bytes


def session() -> requests.Session:
    """A session per thread: `requests.Session` is not documented as thread-safe."""
    current = getattr(_local, "session", None)
    if current is None:
        current = requests.Session()
        current.headers["User-Agent"] = "people"
        _local.session = current
    return current


def call(
    method: str,
    url: str,
    *,
    endpoint_kind: EndpointKind,
    what: str,
    accept: str = "application/json",
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    **kwargs: Any,
) -> Answer:
    """The provider's 200 answer to `method url`; `what` names the document in errors and logs,
    `endpoint_kind` labels the time it took."""
    started, outcome = time.perf_counter(), "unavailable"
    try:
        answer = _call(method, url, what=what, accept=accept, headers=headers, timeout=timeout, **kwargs)
    except ProviderRefused:
        outcome = "refused"
        raise
    else:
        outcome = "ok"
        return answer
    finally:
        PROVIDER_LATENCY.labels(endpoint=endpoint_kind, outcome=outcome).observe(time.perf_counter() - started)


def _call(
    method: str, url: str, *, what: str, accept: str, headers: dict[str, str] | None, timeout: float | None, **kwargs: Any
) -> Answer:
    try:
        response = session().request(
            method,
            url,
            headers={"Accept": accept, **(headers or {})},
            timeout=timeout or settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
            stream=True,
            **kwargs,
        )
    except requests.RequestException as error:
        logger.warning("OpenID provider's %s unreachable: %s", what, type(error).__name__, extra={"url": url})
        raise ProviderUnavailable(f"{what} unreachable ({type(error).__name__})") from error
    if response.status_code != 200:
        response.close()
        refused = 400 <= response.status_code < 500
        logger.log(
            logging.ERROR if refused else logging.WARNING,
            "OpenID provider's %s answered %s",
            what,
            response.status_code,
            extra={"event": "provider_answer_status", "document": what, "status": response.status_code},
        )
        error_class = ProviderRefused if refused else ProviderUnavailable
        raise error_class(f"{what} answered {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    try:
        body = read_capped(response, limit=settings.OIDC_OP_MAX_RESPONSE_SIZE)
    except requests.RequestException as error:
        logger.warning("OpenID provider's %s cut short: %s", what, type(error).__name__)
        raise ProviderUnavailable(f"{what} cut short") from error
    except UntrustedInput as error:
        raise UnusableAnswer(f"{what}: {error}", problem=error.code) from None
    return Answer(url=url, content_type=content_type, body=body)


def json_object(raw: str | bytes, *, what: str) -> dict[str, Any]:
    """A JSON object read with the bounds of `people.core.untrusted`; UnusableAnswer otherwise."""
    try:
        data = json_loads(raw)
    except UntrustedInput as error:
        raise UnusableAnswer(f"{what}: {error}", problem=error.code) from None
    if not isinstance(data, dict):
        raise UnusableAnswer(f"{what} is not a JSON object", problem="not_an_object")
    return data
