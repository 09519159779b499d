"""Who is behind a bearer token: introspection at the provider, validated, cached.

One entry point, `authenticate_token(token) -> Introspected`. It knows nothing of teams or HTTP
views; the DRF authentication class turns its errors into 401 / 503 responses.

Two formats (`OIDC_RS_INTROSPECTION_FORMAT`):
- `json`: RFC 7662, a plain JSON answer over TLS, authenticated with our client credentials;
- `jwt`: RFC 9701, a JWS signed by the provider inside a JWE encrypted to our key (`people.oidc.keys`).

A valid result is cached under an HMAC of the token (never the token itself) until the earlier
of its `exp` and `OIDC_RS_CACHE_TTL`; refusals are cached `OIDC_RS_INACTIVE_CACHE_TTL` seconds so
that a flood of guessed tokens does not reach the provider. The cache is the shared one (Redis in
production): a result asked of the provider by one web process serves every other.

Each process also keeps the valid results it used in memory (`LOCAL_VERDICTS`), for
`OIDC_RS_LOCAL_CACHE_TTL` seconds at most and never past the token's `exp` nor
`OIDC_RS_CACHE_TTL` after the provider gave the result: a warm call then makes no round trip to
the shared cache, and no result is used longer than the shared cache alone would allow.

The user is read on every call, so a deactivated user is refused at once even while the
introspection result is cached; on PostgreSQL each process keeps the users it read for as long
as the database says nothing changed them (`known_users`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from people.core.lru import ExpiringLru
from people.core.monitoring import INTROSPECTION_CACHE
from people.core.prepared import PreparedGet
from people.identity.models import User
from people.oidc import http, jose, provider
from people.oidc.claims import check_time_claims, is_numeric_date
from people.oidc.errors import InvalidToken, ProviderUnavailable, Unreadable, UnusableAnswer
from people.resource_server import known_users
from people.resource_server.errors import UnknownUser

# The token's user, at every call (the SQL compiled once: see PreparedGet).
_USER_BY_SUB = PreparedGet(
    lambda sub: User.objects.select_related("organization").filter(sub=sub, is_active=True).order_by(),
    sub=User._meta.get_field("sub"),
)



def _read_user(sub: str) -> User | None:
    return _USER_BY_SUB.get(sub=sub)


logger = logging.getLogger("people.resource_server")

JWT_MEDIA_TYPE = "application/token-introspection+jwt"
MAX_TOKEN_LENGTH = 4096
# RFC 6750 b64token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
CACHE_PREFIX = "rs:introspection:v1:"

@dataclass(frozen=True)
class Introspected:
    user: User
    audience: str
    scopes: frozenset[str]
    # Asked of the provider by this request (False: read from the cache).
    fresh: bool = False


class LocalVerdicts(ExpiringLru):
    """This process's copy of the valid introspection results it used (a bounded LRU)."""

    def __init__(self) -> None:
        super().__init__(lambda: settings.OIDC_RS_LOCAL_CACHE_SIZE)

    def keep(self, key: str, verdict: dict[str, Any], now: float) -> None:
        """Keep `verdict` until the earliest of: the local TTL, the token's `exp`, and the shared
        cache's TTL counted from when the provider gave it."""
        until = now + settings.OIDC_RS_LOCAL_CACHE_TTL
        if verdict.get("exp") is not None:
            until = min(until, verdict["exp"])
        until = min(until, verdict.get("checked_at", now) + settings.OIDC_RS_CACHE_TTL)
        if until > now:
            self.put(key, verdict, until)


LOCAL_VERDICTS = LocalVerdicts()


def authenticate_token(token: str) -> Introspected:
    """The active user and calling service behind `token`, or InvalidToken / ProviderUnavailable."""
    token = normalize_token(token)
    cache_key = CACHE_PREFIX + _token_digest(token)
    now = time.time()
    local = bool(settings.OIDC_RS_CACHE_TTL and settings.OIDC_RS_LOCAL_CACHE_TTL)
    verdict = LOCAL_VERDICTS.get(cache_key, now) if local else None
    if verdict is None:
        verdict, fresh = _shared_verdict(token, cache_key, now)
        if local:
            LOCAL_VERDICTS.keep(cache_key, verdict, now)
    else:
        INTROSPECTION_CACHE.labels(result="hit").inc()
        fresh = False
    user = known_users.user_for(verdict["sub"], _read_user)
    if user is None:
        raise UnknownUser("no active user for this subject")
    return Introspected(user=user, audience=verdict["audience"], scopes=frozenset(verdict["scopes"]), fresh=fresh)


def _shared_verdict(token: str, cache_key: str, now: float) -> tuple[dict[str, Any], bool]:
    """(the valid verdict, asked of the provider now) from the shared cache or the provider."""
    verdict = cache.get(cache_key)
    if verdict is not None and verdict.get("active") and not settings.OIDC_RS_CACHE_TTL:
        # Cached before the TTL was set to 0 (or by a worker with another setting): 0 disables.
        verdict = None
    INTROSPECTION_CACHE.labels(result="miss" if verdict is None else "hit").inc()
    if verdict is None:
        try:
            verdict = _introspect(token)
        except InvalidToken as error:
            logger.info("bearer token refused: %s", error.reason)
            if settings.OIDC_RS_INACTIVE_CACHE_TTL:
                cache.set(cache_key, {"active": False}, settings.OIDC_RS_INACTIVE_CACHE_TTL)
            raise
        ttl = _cache_ttl(verdict)
        if ttl > 0:
            cache.set(cache_key, verdict, ttl)
        return verdict, True
    if not verdict.get("active"):
        raise InvalidToken("refused recently (cached)")
    if verdict.get("exp") is not None and verdict["exp"] <= now:
        cache.delete(cache_key)
        raise InvalidToken("token expired (cached)")
    return verdict, False


def normalize_token(raw: str) -> str:
    """The token as the provider issued it: sent raw or base64-encoded (both are accepted)."""
    token = (raw or "").strip()
    if not token or len(token) > MAX_TOKEN_LENGTH or not TOKEN_PATTERN.fullmatch(token):
        raise InvalidToken("malformed token")
    try:
        decoded = base64.b64decode(token, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return token
    # A random raw token is very unlikely to decode to a printable token itself.
    if decoded and TOKEN_PATTERN.fullmatch(decoded) and len(decoded) >= 16:
        return decoded
    return token


def _token_digest(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def _cache_ttl(verdict: dict[str, Any]) -> int:
    ttl = settings.OIDC_RS_CACHE_TTL
    if not ttl:
        return 0
    exp = verdict.get("exp")
    if exp is not None:
        ttl = min(ttl, int(exp - time.time()))
    return ttl


# --- Talking to the provider ------------------------------------------------------------------


def _introspect(token: str) -> dict[str, Any]:
    """Ask the provider about `token`; return the checked facts we keep (never the token)."""
    return check_introspection(_ask_provider(token))


def _ask_provider(token: str) -> dict[str, Any]:
    """The provider's introspection answer, decrypted and verified when it is a JWT."""
    client_id, secret = settings.OIDC_RS_CLIENT_ID, settings.OIDC_RS_CLIENT_SECRET
    endpoint = provider.endpoints().introspection_endpoint if client_id and secret else None
    if not endpoint or not client_id or not secret:
        logger.error(
            "resource server not configured: set OIDC_OP_INTROSPECTION_ENDPOINT, OIDC_RS_CLIENT_ID "
            "and OIDC_RS_CLIENT_SECRET"
        )
        # Permanent, not transient: no token can be verified here, so none is accepted (401).
        raise InvalidToken("resource server not configured")
    use_jwt = settings.OIDC_RS_INTROSPECTION_FORMAT == "jwt"
    try:
        # A 4xx here means our own client credentials are refused: logged as an error (http).
        answer = http.call(
            "POST",
            endpoint,
            endpoint_kind="introspection",
            what="introspection endpoint",
            accept=JWT_MEDIA_TYPE if use_jwt else "application/json",
            data={"token": token, "token_type_hint": "access_token"},
            auth=(client_id, secret),
            timeout=settings.OIDC_RS_TIMEOUT,
        )
        if use_jwt:
            return decode_jwt_response(answer.body.decode("ascii"))
        return http.json_object(answer.body, what="introspection answer")
    except UnicodeDecodeError:
        raise malformed("introspection answer is not a compact JWE", code="not_a_jwe") from None
    except (UnusableAnswer, Unreadable) as error:
        raise malformed(error.reason, code=error.problem) from None


def malformed(reason: str, *, code: str) -> ProviderUnavailable:
    """Log an answer of the provider we cannot use (an operator must look at the provider), and
    the error that turns it into a 503: the caller's token is not at fault."""
    logger.error(
        "introspection answer unusable: %s",
        reason,
        extra={"event": "introspection_answer_malformed", "problem": code, "reason": reason},
    )
    return ProviderUnavailable(f"introspection answer unusable: {reason}")


# --- Checking what the provider said ------------------------------------------------------------


# Members whose type RFC 7662 / RFC 7519 fix: another type is a broken provider, not a bad token.
_INTROSPECTION_TYPES = {"active": "bool", "scope": "text", "sub": "text", "client_id": "text", "iss": "text",
                        "aud": "audience", "exp": "date", "iat": "date", "nbf": "date"}
_JWT_TYPES = {"iss": "text", "aud": "audience", "exp": "date", "iat": "date", "nbf": "date",
              "token_introspection": "object"}


def check_types(data: dict[str, Any], types: dict[str, str], *, what: str) -> None:
    """Members present (not null) must have their registered type; text must hold no NUL
    (the database refuses it). A 503 otherwise (see `malformed`)."""
    for name, kind in types.items():
        value = data.get(name)
        if value is None:
            continue
        if kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "text":
            ok = isinstance(value, str) and "\x00" not in value
        elif kind == "audience":
            values = value if isinstance(value, list) else [value]
            ok = all(isinstance(item, str) and "\x00" not in item for item in values)
        elif kind == "date":
            ok = is_numeric_date(value)
        else:
            ok = isinstance(value, dict)
        if not ok:
            raise malformed(f"{what}: {name} is not a valid {kind}", code="wrong_type")


def check_introspection(data: dict[str, Any]) -> dict[str, Any]:
    """The RFC 7662 members we rely on, checked; InvalidToken otherwise."""
    check_types(data, _INTROSPECTION_TYPES, what="introspection answer")
    if data.get("active") is not True:
        raise InvalidToken("token is not active")
    jose.check_issuer(data.get("iss"), required=False)
    exp = data.get("exp")
    # Only `exp`, without leeway: the provider judged iat/nbf itself when it said "active", and
    # the cache must never outlive the token.
    check_time_claims({"exp": exp}, leeway=0, require_iat=False, error=InvalidToken, what="token")
    scope = data.get("scope")
    scopes = set(scope.split()) if isinstance(scope, str) else set()
    missing = set(settings.OIDC_RS_SCOPES) - scopes
    if missing:
        raise InvalidToken(f"missing scopes: {' '.join(sorted(missing))}")
    sub = data.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise InvalidToken("no usable sub")
    return {
        "active": True,
        "sub": sub,
        "audience": _audience(data),
        "scopes": sorted(scopes),
        "exp": exp,
        # When the provider said so: no copy of this verdict is used past OIDC_RS_CACHE_TTL.
        "checked_at": time.time(),
    }


def _audience(data: dict[str, Any]) -> str:
    """The calling service: `client_id`, or `aud` (a list minus our own client id)."""
    value = data.get(settings.OIDC_RS_AUDIENCE_CLAIM)
    if isinstance(value, list):
        others = [item for item in value if isinstance(item, str) and item != settings.OIDC_RS_CLIENT_ID]
        value = others[0] if len(others) == 1 else None
    if not isinstance(value, str) or not value or len(value) > 255:
        raise InvalidToken(f"no usable audience in {settings.OIDC_RS_AUDIENCE_CLAIM}")
    return value


def decode_jwt_response(value: str) -> dict[str, Any]:
    """RFC 9701: decrypt with our key, verify the provider's signature, check the claims.

    Returns the `token_introspection` member, still to be checked by `check_introspection`.
    A structurally broken answer raises `Unreadable` (the provider's fault, see `malformed`).
    """
    plaintext, header = jose.decrypt_jwe(value.strip())
    claims = jose.verify_jws(plaintext, algorithms={settings.OIDC_RS_SIGNING_ALGO}, typ="token-introspection+jwt")
    check_types(claims, _JWT_TYPES, what="signed introspection answer")
    jose.check_issuer(claims.get("iss"))
    jose.check_audience(claims, client_id=settings.OIDC_RS_CLIENT_ID, required=True, what="introspection answer")
    jose.check_replicated_claims(header, claims)
    check_time_claims(claims, leeway=settings.OIDC_RS_LEEWAY, error=InvalidToken, what="introspection answer")
    introspection = claims.get("token_introspection")
    if introspection is None:
        raise malformed("signed introspection answer without token_introspection", code="missing_member")
    return introspection
