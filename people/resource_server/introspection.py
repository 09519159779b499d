"""Who is behind a bearer token: introspection at the provider, validated, cached.

One entry point, `authenticate_token(token) -> Introspected`. It knows nothing of teams or HTTP
views; the DRF authentication class turns its errors into 401 / 503 responses.

Two formats (`OIDC_RS_INTROSPECTION_FORMAT`):
- `json`: RFC 7662, a plain JSON answer over TLS, authenticated with our client credentials;
- `jwt`: RFC 9701, a JWS signed by the provider inside a JWE encrypted to our key (keys.py).

A valid result is cached under an HMAC of the token (never the token itself) until the earlier
of its `exp` and `OIDC_RS_CACHE_TTL`; refusals are cached `OIDC_RS_INACTIVE_CACHE_TTL` seconds so
that a flood of guessed tokens does not reach the provider. The user is read on every call, so a
deactivated user is refused at once even while the introspection result is cached.
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

import requests
from django.conf import settings
from django.core.cache import cache
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.registry import HeaderParameter

from people.core.jwt_claims import check_time_claims, is_numeric_date
from people.core.untrusted import UntrustedInput, json_loads, read_capped
from people.identity.auth import provider
from people.identity.models import User
from people.resource_server import http, keys
from people.resource_server.errors import InvalidToken, ProviderUnavailable, UnknownUser

logger = logging.getLogger("people.resource_server")

JWT_MEDIA_TYPE = "application/token-introspection+jwt"
MAX_TOKEN_LENGTH = 4096
# RFC 6750 b64token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
CACHE_PREFIX = "rs:introspection:v1:"

# RFC 7519 §5.3: the provider may copy claims into the JWE protected header.
_REPLICATED_HEADERS = {
    "iss": HeaderParameter("Issuer (replicated claim)", "str"),
    "aud": HeaderParameter("Audience (replicated claim)", lambda value: _check_audience_value(value)),
}


@dataclass(frozen=True)
class Introspected:
    user: User
    audience: str
    scopes: frozenset[str]


def authenticate_token(token: str) -> Introspected:
    """The active user and calling service behind `token`, or InvalidToken / ProviderUnavailable."""
    token = normalize_token(token)
    cache_key = CACHE_PREFIX + _token_digest(token)
    verdict = cache.get(cache_key)
    if verdict is not None and verdict.get("active") and not settings.OIDC_RS_CACHE_TTL:
        # Cached before the TTL was set to 0 (or by a worker with another setting): 0 disables.
        verdict = None
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
    elif not verdict.get("active"):
        raise InvalidToken("refused recently (cached)")
    elif verdict.get("exp") is not None and verdict["exp"] <= time.time():
        cache.delete(cache_key)
        raise InvalidToken("token expired (cached)")

    user = User.objects.select_related("organization").filter(sub=verdict["sub"], is_active=True).first()
    if user is None:
        raise UnknownUser("no active user for this subject")
    return Introspected(user=user, audience=verdict["audience"], scopes=frozenset(verdict["scopes"]))


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
    endpoint = None
    if client_id and secret:
        try:
            endpoint = provider.endpoints().introspection_endpoint
        except provider.ProviderUnavailable as error:
            raise ProviderUnavailable("provider discovery failed") from error
    if not endpoint or not client_id or not secret:
        logger.error(
            "resource server not configured: set OIDC_OP_INTROSPECTION_ENDPOINT, OIDC_RS_CLIENT_ID "
            "and OIDC_RS_CLIENT_SECRET"
        )
        # Permanent, not transient: no token can be verified here, so none is accepted (401).
        raise InvalidToken("resource server not configured")
    use_jwt = settings.OIDC_RS_INTROSPECTION_FORMAT == "jwt"
    try:
        response = http.session().post(
            endpoint,
            data={"token": token, "token_type_hint": "access_token"},
            auth=(client_id, secret),
            headers={"Accept": JWT_MEDIA_TYPE if use_jwt else "application/json"},
            timeout=settings.OIDC_RS_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
            stream=True,
        )
        if response.status_code != 200:
            response.close()
            # 400/401 here mean our own client credentials are refused: an operator must act.
            level = logging.ERROR if response.status_code in (400, 401, 403) else logging.WARNING
            logger.log(level, "introspection endpoint answered %s", response.status_code)
            raise ProviderUnavailable(f"introspection endpoint answered {response.status_code}")
        body = read_capped(response, limit=settings.OIDC_OP_MAX_RESPONSE_SIZE)
    except requests.RequestException as error:
        logger.warning("introspection endpoint unreachable: %s", type(error).__name__)
        raise ProviderUnavailable("introspection endpoint unreachable") from error
    except UntrustedInput as error:
        raise malformed(str(error), code=error.code) from None
    if use_jwt:
        try:
            return decode_jwt_response(body.decode("ascii"))
        except UnicodeDecodeError:
            raise malformed("introspection answer is not a compact JWE", code="not_a_jwe") from None
    return _json_object(body, what="introspection answer")


def malformed(reason: str, *, code: str) -> ProviderUnavailable:
    """Log an answer of the provider we cannot use (an operator must look at the provider), and
    the error that turns it into a 503: the caller's token is not at fault."""
    logger.error(
        "introspection answer unusable: %s",
        reason,
        extra={"event": "introspection_answer_malformed", "problem": code, "reason": reason},
    )
    return ProviderUnavailable(f"introspection answer unusable: {reason}")


def _json_object(raw: str | bytes, *, what: str) -> dict[str, Any]:
    try:
        data = json_loads(raw)
    except UntrustedInput as error:
        raise malformed(f"{what}: {error}", code=error.code) from None
    if not isinstance(data, dict):
        raise malformed(f"{what} is not a JSON object", code="not_an_object")
    return data


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
    _check_issuer(data.get("iss"), required=False)
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


def _check_issuer(value: Any, *, required: bool) -> None:
    if value is None and not required:
        return
    try:
        expected = provider.expected_issuer() or settings.OIDC_OP_URL
    except provider.ProviderUnavailable as error:
        raise ProviderUnavailable("provider discovery failed") from error
    if not expected:
        if required:
            raise InvalidToken("no issuer configured (OIDC_OP_ISSUER or OIDC_OP_URL): cannot check it")
        return
    if not isinstance(value, str) or value.rstrip("/") != expected.rstrip("/"):
        raise InvalidToken("wrong issuer")


def _check_audience_value(value: Any) -> None:
    if isinstance(value, str):
        return
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return
    raise ValueError("must be a string or a list of strings")


def decode_jwt_response(value: str) -> dict[str, Any]:
    """RFC 9701: decrypt with our key, verify the provider's signature, check the claims.

    Returns the `token_introspection` member, still to be checked by `check_introspection`.
    """
    value = value.strip()
    if value.count(".") != 4:
        raise malformed("introspection answer is not a compact JWE", code="not_a_jwe")
    ring = keys.get_key_ring()
    if not ring:
        raise ProviderUnavailable("no decryption key configured")
    algorithms = [settings.OIDC_RS_ENCRYPTION_ALGO, settings.OIDC_RS_ENCRYPTION_ENCODING]
    registry = jwe.JWERegistry(header_registry=_REPLICATED_HEADERS, algorithms=algorithms)
    header = _protected_header(value)
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise InvalidToken("JWE kid is not a string")
    if header.get("alg") != algorithms[0] or header.get("enc") != algorithms[1]:
        raise InvalidToken("unexpected JWE algorithm")
    candidates = ring.candidates(kid)
    if not candidates:
        raise InvalidToken("JWE encrypted to a key we do not have")
    plaintext = None
    for key in candidates:
        try:
            plaintext = jwe.decrypt_compact(value, key, registry=registry).plaintext
            break
        except (JoseError, ValueError, TypeError):
            continue
    if plaintext is None:
        raise InvalidToken("cannot decrypt the introspection answer")

    claims = _verify_signature(plaintext.decode("ascii", errors="replace").strip())
    check_types(claims, _JWT_TYPES, what="signed introspection answer")
    _check_issuer(claims.get("iss"), required=True)
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.OIDC_RS_CLIENT_ID not in audiences:
        raise InvalidToken("introspection answer is not addressed to us")
    for name in ("iss", "aud"):
        if name in header and header[name] != claims.get(name):
            raise InvalidToken(f"JWE header {name} differs from the signed claims")
    check_time_claims(claims, leeway=settings.OIDC_RS_LEEWAY, error=InvalidToken, what="introspection answer")
    introspection = claims.get("token_introspection")
    if introspection is None:
        raise malformed("signed introspection answer without token_introspection", code="missing_member")
    return introspection


def _protected_header(value: str) -> dict[str, Any]:
    segment = value.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (ValueError, binascii.Error):
        raise malformed("JOSE header is not base64url", code="parse_error") from None
    return _json_object(raw, what="JOSE header")


def _verify_signature(value: str) -> dict[str, Any]:
    if value.count(".") != 2:
        raise malformed("decrypted content is not a compact JWS", code="not_a_jws")
    header = _protected_header(value)
    algorithm = settings.OIDC_RS_SIGNING_ALGO
    if header.get("alg") != algorithm:
        raise InvalidToken(f"signature algorithm {header.get('alg')!r} refused")
    # RFC 9701 §5: the JWT MUST carry `typ: token-introspection+jwt` (explicit typing keeps
    # another JWT of the provider, an ID token say, from passing for an introspection answer).
    typ = header.get("typ")
    if not isinstance(typ, str) or typ.lower().removeprefix("application/") != "token-introspection+jwt":
        raise InvalidToken("missing or unexpected JWS typ")
    kid = header.get("kid")
    try:
        candidates = provider.verification_keys(kid if isinstance(kid, str) else None, algorithm)
    except provider.ProviderUnavailable as error:
        raise ProviderUnavailable("provider keys unavailable") from error
    payload = None
    for key in candidates:
        try:
            payload = jws.deserialize_compact(value, key, algorithms=[algorithm]).payload
            break
        except (JoseError, ValueError, TypeError):
            continue
    if not candidates:
        raise InvalidToken("no provider key matches the signature")
    if payload is None:
        raise InvalidToken("bad signature on the introspection answer")
    return _json_object(payload, what="signed introspection answer")

