"""A fake of the suite's mail platform ("dimail"), served over HTTP on loopback for the tests.

No real platform can run here (its code is not installable), so this one imitates it as
/work/shared/MAIL-PLATFORM.md describes it: Basic credentials for a bearer token (which expires,
and which domain routes require), domains with their checks, fixes and expected DNS records,
mailboxes (a duplicate is a 500, a display name used twice in a domain is a 500 after a partial
creation, as the webmail refuses it), aliases (200 on creation, 409 twice), a technical
`oxadmin@` account in every mailbox list, lists in no particular order. It keeps its state
between calls, records every request, and can be told to fail for a while: every call answers
a status (`outage(500)`), or hangs past the client's timeout (`outage("timeout")`), until
`recover()`.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

USERNAME, PASSWORD = "people", "platform-secret"
EXTERNAL_CHECKS = ("mx", "cname_imap", "cname_smtp", "cname_webmail", "spf", "dkim")
INTERNAL_CHECKS = ("domain_exist", "postfix", "ox", "cert")
FEATURES = {"webmail", "mailbox", "alias", "mx"}


@dataclass
class Domain:
    name: str
    features: list[str]
    context_name: str | None
    # What the checks find: the DNS records the owner must publish, and the platform's own side
    # (fixed by `/fix/` when `fixable`).
    external_ok: bool = True
    internal_ok: bool = True
    fixable: bool = True
    mailboxes: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Call:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


class MailPlatform:
    """The platform's state and rules; `FakeHandler` speaks HTTP for it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.domains: dict[str, Domain] = {}
        self.tokens: dict[str, float] = {}
        self.token_lifetime = 47 * 60
        self.calls: list[Call] = []
        self.codes: list[tuple[str, str]] = []  # (address, one-time code)
        self.failure: int | str | None = None
        self.failures_left: int | None = None
        self.hang_seconds = 2.0
        self.hooks: list[tuple[str, str, Any]] = []

    # --- what tests set and read ------------------------------------------------------

    def add_domain(self, name: str, **checks: bool) -> Domain:
        with self.lock:
            domain = Domain(name=name, features=["webmail", "mailbox", "alias"], context_name=name, **checks)
            self.domains[name] = domain
            return domain

    def add_mailbox(self, domain: str, local_part: str, given: str, surname: str, *, status: str = "ok") -> None:
        with self.lock:
            self.domains[domain].mailboxes[local_part] = {
                "givenName": given, "surName": surname, "displayName": f"{given} {surname}",
                "active": "yes", "status": status,
            }

    def outage(self, failure: int | str = 500, *, calls: int | None = None) -> None:
        """Every call (or the next `calls`) answers `failure`: a status, or "timeout" (hangs)."""
        with self.lock:
            self.failure, self.failures_left = failure, calls

    def before(self, method: str, path_contains: str, action: Any) -> None:
        """Run `action(platform)` once, just before the next matching call is handled: what
        another client of the platform does meanwhile (a race). If it returns (status, body),
        that is the call's answer; "timeout", the call hangs past the client's timeout."""
        with self.lock:
            self.hooks.append((method, path_contains, action))

    def recover(self) -> None:
        with self.lock:
            self.failure, self.failures_left = None, None

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def requests(self, method: str | None = None, path_contains: str = "", *, path: str | None = None) -> list[Call]:
        """Calls received, oldest first: of a method, whose path holds `path_contains` or is `path`."""
        with self.lock:
            return [
                c for c in self.calls
                if (method is None or c.method == method) and path_contains in c.path and path in (None, c.path)
            ]

    def mailbox(self, address: str) -> dict[str, Any] | None:
        local, _, domain = address.partition("@")
        with self.lock:
            found = self.domains.get(domain)
            return found.mailboxes.get(local) if found else None

    # --- HTTP ----------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        with self.lock:
            self.calls.append(Call(method, raw_path, body, headers))
            failure = self.failure
            if failure is not None and self.failures_left is not None:
                self.failures_left -= 1
                if self.failures_left < 0:
                    failure = self.failure = self.failures_left = None
        if failure == "timeout":
            time.sleep(self.hang_seconds)
            return 504, {"detail": "Gateway Timeout"}
        if failure is not None:
            return int(failure), {"detail": "Internal Server Error"}
        answer = None
        with self.lock:
            for hook in list(self.hooks):
                if hook[0] == method and hook[1] in raw_path:
                    self.hooks.remove(hook)
                    answer = hook[2](self)
            if answer is None:
                return self._route(method, raw_path, headers, body)
        if answer == "timeout":  # hangs past the client's timeout (outside the lock)
            time.sleep(self.hang_seconds)
            return 504, {"detail": "Gateway Timeout"}
        return answer

    def _basic_ok(self, headers: dict[str, str]) -> int | None:
        """None when the Basic credentials are right, else the status to answer."""
        value = headers.get("authorization", "")
        if not value.startswith("Basic "):
            return 401
        try:
            user, _, password = base64.b64decode(value[6:]).decode().partition(":")
        except ValueError:
            return 403
        return None if (user, password) == (USERNAME, PASSWORD) else 403

    def _bearer_ok(self, headers: dict[str, str]) -> int | None:
        value = headers.get("authorization", "")
        if value.startswith("Basic "):
            return 403  # domain routes take a token only
        if not value.startswith("Bearer "):
            return 401
        expiry = self.tokens.get(value[7:])
        return None if expiry and expiry > time.time() else 401

    def _route(self, method: str, raw_path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        parts = urlsplit(raw_path)
        path = [unquote(segment) for segment in parts.path.strip("/").split("/")]
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if path == ["token"] and method == "GET":
            refused = self._basic_ok(headers)
            if refused:
                return refused, {"detail": "Not authenticated" if refused == 401 else "Permisison denied"}
            token = secrets.token_urlsafe(24)
            self.tokens[token] = time.time() + self.token_lifetime
            return 200, {"access_token": token, "token_type": "bearer"}
        if path == ["domains"]:
            refused = self._basic_ok(headers)
            if refused:
                return refused, {"detail": "Permisison denied"}
            if method == "POST":
                return self._domain_create(body)
            if method == "GET":
                return 200, [{"name": d.name, "features": d.features} for d in self.domains.values()]
            return 405, {"detail": "Method Not Allowed"}
        if len(path) >= 2 and path[0] == "domains":
            domain = self.domains.get(path[1])
            if domain is None:
                # Unknown domains are told before permissions; a mailbox creation answers 500.
                if len(path) == 4 and path[2] == "mailboxes" and method == "POST":
                    return 500, {"detail": "Internal Server Error"}
                return 404, {"detail": "Domain not found"}
            refused = self._bearer_ok(headers)
            if refused:
                return refused, {"detail": "Not authenticated" if refused == 401 else "Permisison denied"}
            return self._domain_route(domain, method, path[2:], query, body)
        return 404, {"detail": "Not Found"}

    def _domain_create(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 422, [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
        missing = [key for key in ("name", "features", "context_name") if key not in body]
        if missing:
            return 422, [{"type": "missing", "loc": ["body", key], "msg": "Field required", "input": body} for key in missing]
        unknown = [f for f in body["features"] if f not in FEATURES]
        if unknown:
            return 422, [{"type": "enum", "loc": ["body", "features"], "msg": f"unknown feature {unknown[0]}", "input": unknown[0]}]
        if body["name"] in self.domains:
            return 409, {"detail": "Domain already exists"}
        if "webmail" in body["features"] and not body["context_name"]:
            return 409, {"detail": "Webmail requires a context"}
        domain = self.add_domain(body["name"])
        domain.features, domain.context_name = list(body["features"]), body["context_name"]
        return 201, {"name": domain.name, "features": domain.features, "context_name": domain.context_name}

    def _report(self, domain: Domain) -> dict[str, Any]:
        report: dict[str, Any] = {"name": domain.name}
        for check in EXTERNAL_CHECKS:
            ok = domain.external_ok
            errors = [] if ok else [{"code": f"wrong_{check}", "detail": f"The {check} record is missing"}]
            report[check] = {"ok": ok, "internal": False, "errors": errors}
        for check in INTERNAL_CHECKS:
            ok = domain.internal_ok
            errors = [] if ok else [{"code": f"{check}_broken", "detail": f"{check} is not set up"}]
            report[check] = {"ok": ok, "internal": True, "errors": errors}
        report["valid"] = domain.external_ok and domain.internal_ok
        report["state"] = "ok" if report["valid"] else "broken"
        return report

    def _domain_route(self, domain: Domain, method: str, rest: list[str], query: dict, body: Any) -> tuple[int, Any]:
        if rest == [] and method == "GET":
            return 200, {"name": domain.name, "features": domain.features, "context_name": domain.context_name}
        if rest == ["check"] and method == "GET":
            return 200, self._report(domain)
        if rest == ["fix"] and method == "GET":
            if domain.fixable:
                domain.internal_ok = True
            return 200, self._report(domain)
        if rest == ["spec"] and method == "GET":
            return 200, [
                {"target": "", "type": "mx", "value": "mx.mail.example.net."},
                {"target": "imap", "type": "cname", "value": "imap.mail.example.net."},
                {"target": "", "type": "txt", "value": "v=spf1 include:_spf.mail.example.net -all"},
            ]
        if rest and rest[0] == "mailboxes":
            return self._mailboxes(domain, method, rest[1:], body)
        if rest and rest[0] == "aliases":
            return self._aliases(domain, method, rest[1:], query, body)
        return 404, {"detail": "Not Found"}

    def _mailboxes(self, domain: Domain, method: str, rest: list[str], body: Any) -> tuple[int, Any]:
        if rest in ([], [""]) and method == "GET":
            rows = [
                {
                    "type": "mailbox", "status": box["status"], "email": f"{local}@{domain.name}",
                    "givenName": box["givenName"], "surName": box["surName"], "displayName": box["displayName"],
                }
                for local, box in domain.mailboxes.items()
            ]
            rows.append({
                "type": "mailbox", "status": "broken", "email": f"oxadmin@{domain.name}",
                "givenName": "", "surName": "", "displayName": "Context Admin",
            })
            random.shuffle(rows)  # in no order
            return 200, rows
        if not rest:
            return 405, {"detail": "Method Not Allowed"}
        local = rest[0]
        if len(rest) == 1 and method == "POST":
            missing = [k for k in ("givenName", "surName", "displayName") if not isinstance(body, dict) or k not in body]
            if missing:
                return 422, [{"type": "missing", "loc": ["body", k], "msg": "Field required", "input": body} for k in missing]
            if local in domain.mailboxes:
                return 500, {"detail": "Internal Server Error"}
            clash = self._display_name_taken(domain, body["displayName"], besides=local)
            domain.mailboxes[local] = {
                "givenName": body["givenName"], "surName": body["surName"], "displayName": body["displayName"],
                "active": "yes", "status": "broken" if clash else "ok",
            }
            if clash:  # the mail side was made, the webmail refused the name
                return 500, {"detail": "Internal Server Error"}
            return 201, {"email": f"{local}@{domain.name}", "password": secrets.token_urlsafe(12), "uuid": str(uuid.uuid4())}
        box = domain.mailboxes.get(local)
        if box is None:
            return 404, {"detail": "Mailbox not found"}
        if len(rest) == 1 and method == "PATCH":
            if not isinstance(body, dict):
                return 422, [{"type": "model_type", "loc": ["body"], "msg": "Input should be an object", "input": body}]
            if {"domain", "user_name", "local_part"} & set(body):
                return 422, {"detail": "Renaming or moving a mailbox is not implemented"}
            if "displayName" in body and self._display_name_taken(domain, body["displayName"], besides=local):
                return 409, {"detail": f"Display name {body['displayName']!r} is already used in this context"}
            if body.get("active") not in (None, "yes", "no"):
                return 422, [{"type": "enum", "loc": ["body", "active"], "msg": "Input should be 'yes' or 'no'", "input": body.get("active")}]
            for key in ("givenName", "surName", "displayName", "active"):
                if key in body:
                    box[key] = body[key]
            if "displayName" in body:
                box["status"] = "ok"
            return 200, {"email": f"{local}@{domain.name}", **{k: box[k] for k in ("givenName", "surName", "displayName", "active")}}
        if rest[1:] == ["reset_password"] and method == "POST":
            return 201, {"email": f"{local}@{domain.name}", "password": secrets.token_urlsafe(12)}
        if rest[1:] == ["code"] and method == "POST":
            code = secrets.token_urlsafe(16)
            self.codes.append((f"{local}@{domain.name}", code))
            return 201, {"code": code, "expires_in": 900}
        return 404, {"detail": "Not Found"}

    @staticmethod
    def _display_name_taken(domain: Domain, name: str, *, besides: str) -> bool:
        folded = " ".join(name.split()).casefold()
        return any(
            " ".join(box["displayName"].split()).casefold() == folded
            for local, box in domain.mailboxes.items()
            if local != besides
        )

    def _aliases(self, domain: Domain, method: str, rest: list[str], query: dict, body: Any) -> tuple[int, Any]:
        if rest in ([], [""]):
            if method == "POST":
                if not isinstance(body, dict) or not {"user_name", "destination"} <= set(body):
                    return 422, [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": body}]
                pair = (body["user_name"], body["destination"])
                if pair in domain.aliases:
                    return 409, {"detail": "Alias already exists"}
                domain.aliases.append(pair)
                return 200, {"username": pair[0], "domain": domain.name, "destination": pair[1]}
            if method == "GET":
                if "destination" in query and "user_name" not in query:
                    return 412, {"detail": "Destination requires a user_name"}
                rows = [
                    {"username": name, "domain": domain.name, "destination": destination}
                    for name, destination in domain.aliases
                    if query.get("user_name", name) == name and query.get("destination", destination) == destination
                ]
                random.shuffle(rows)
                return 200, rows
            return 405, {"detail": "Method Not Allowed"}
        if len(rest) == 2 and method == "DELETE":
            name, destination = rest
            kept = [pair for pair in domain.aliases if not (pair[0] == name and destination in ("all", pair[1]))]
            if len(kept) == len(domain.aliases):
                return 404, {"detail": "Alias not found"}
            domain.aliases = kept
            return 204, None
        return 404, {"detail": "Not Found"}


class FakeHandler(BaseHTTPRequestHandler):
    platform: MailPlatform

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {key.lower(): value for key, value in self.headers.items()}
        status, answer = self.platform.handle(self.command, self.path, headers, body)
        payload = b"" if answer is None or status == 204 else json.dumps(answer).encode()
        try:
            self.send_response(status)
            if payload:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            pass

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silenced
        return


class MailPlatformServer:
    def __init__(self, platform: MailPlatform | None = None) -> None:
        self.platform = platform or MailPlatform()
        handler = type("Handler", (FakeHandler,), {"platform": self.platform})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-mail-platform", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> MailPlatformServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


CREDENTIALS = f"{USERNAME}:{PASSWORD}"
CREDENTIALS_B64 = base64.b64encode(CREDENTIALS.encode()).decode()


def configure(settings: Any, url: str) -> None:
    """Point People at a fake platform, with timeouts short enough for outage tests."""
    settings.MAIL_PROVISIONING_API_URL = url
    settings.MAIL_PROVISIONING_API_CREDENTIALS = CREDENTIALS_B64
    settings.MAIL_PROVISIONING_API_CONNECT_TIMEOUT = 1.0
    settings.MAIL_PROVISIONING_API_TIMEOUT = 0.5
    settings.MAIL_WEBMAIL_URL = "https://webmail.example.net"


@pytest.fixture
def mail_platform(settings):
    """A fake mail platform for the test, People pointed at it."""
    server = MailPlatformServer().start()
    server.platform.hang_seconds = 1.5
    configure(settings, server.url)
    try:
        yield server.platform
    finally:
        server.stop()
