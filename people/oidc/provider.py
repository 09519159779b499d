"""What we know of the OpenID provider: its endpoints (settings or discovery) and its keys.

Both the discovery document and the JWKS are kept in the Django cache (shared by every worker,
so a rotation seen by one is seen by all). A token signed with a key id we do not know triggers
one refresh of the JWKS, at most once every `OIDC_OP_JWKS_REFRESH_INTERVAL` seconds, so that
forged key ids cannot make us flood the provider. `reset_cache()` forgets both (tests, or after
changing settings at run time).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

from people.oidc import http
from people.oidc.errors import ProviderUnavailable, UnusableAnswer

logger = logging.getLogger("people.oidc")

DISCOVERY_CACHE_KEY = "oidc:op-discovery:v1:{url}"
JWKS_CACHE_KEY = "oidc:op-jwks:v1:{url}"
JWKS_REFRESH_LOCK_KEY = "oidc:op-jwks:refreshing:{url}"

# Key type each family of signature algorithms is verified with.
KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}


@dataclass(frozen=True)
class Endpoints:
    issuer: str | None
    authorization_endpoint: str | None
    token_endpoint: str | None
    userinfo_endpoint: str | None
    jwks_uri: str | None
    end_session_endpoint: str | None
    introspection_endpoint: str | None


def unusable(what: str, url: str, error: UnusableAnswer) -> UnusableAnswer:
    """Log, for the operator, a provider document we refuse to use; return the error to raise."""
    logger.error(
        "OpenID provider's %s is unusable: %s",
        what,
        error.reason,
        extra={"event": "provider_answer_unusable", "document": what, "url": url, "problem": error.problem},
    )
    return error


def discovery_document() -> dict[str, Any]:
    """The provider's `.well-known/openid-configuration` ({} when `OIDC_OP_URL` is not set)."""
    base = settings.OIDC_OP_URL
    if not base:
        return {}
    url = f"{base.rstrip('/')}/.well-known/openid-configuration"
    key = DISCOVERY_CACHE_KEY.format(url=url)
    document = cache.get(key)
    if document is None:
        try:
            document = http.json_object(http.call("GET", url, endpoint_kind="discovery", what="discovery").body, what="discovery")
        except UnusableAnswer as error:
            raise unusable("discovery", url, error) from None
        if settings.OIDC_OP_DISCOVERY_CACHE_TTL:
            cache.set(key, document, settings.OIDC_OP_DISCOVERY_CACHE_TTL)
    return document


def configured() -> bool:
    """Whether any provider is set up: through discovery or an explicit authorization endpoint."""
    return bool(settings.OIDC_OP_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def endpoints() -> Endpoints:
    """Explicit `OIDC_OP_*` settings first, then the discovery document for the missing ones."""
    explicit = {
        "issuer": settings.OIDC_OP_ISSUER,
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_OP_LOGOUT_ENDPOINT,
        "introspection_endpoint": settings.OIDC_OP_INTROSPECTION_ENDPOINT,
    }
    if settings.OIDC_OP_URL and not all(explicit.values()):
        document = discovery_document()
        for name, value in explicit.items():
            if not value and isinstance(document.get(name), str):
                explicit[name] = document[name]
    return Endpoints(**explicit)


def _jwks_document(url: str, *, refresh: bool) -> str:
    key = JWKS_CACHE_KEY.format(url=url)
    document = None if refresh else cache.get(key)
    if refresh:
        interval = settings.OIDC_OP_JWKS_REFRESH_INTERVAL
        if interval and not cache.add(JWKS_REFRESH_LOCK_KEY.format(url=url), 1, interval):
            # Refreshed a moment ago: an unknown key id now is not a rotation.
            document = cache.get(key)
    if document is None:
        try:
            answer = http.call("GET", url, endpoint_kind="jwks", what="JWKS", accept="application/jwk-set+json, application/json")
        except UnusableAnswer as error:
            raise unusable("JWKS", url, error) from None
        document = answer.body.decode("utf-8", errors="replace")
        if settings.OIDC_OP_JWKS_CACHE_TTL:
            cache.set(key, document, settings.OIDC_OP_JWKS_CACHE_TTL)
    return document


def signing_keys(*, refresh: bool = False) -> list[Key]:
    """The provider's signature keys (those not marked for encryption)."""
    url = endpoints().jwks_uri
    if not url:
        raise ProviderUnavailable("no JWKS endpoint configured (OIDC_OP_JWKS_ENDPOINT or OIDC_OP_URL)")
    document = _jwks_document(url, refresh=refresh)
    try:
        data = http.json_object(document, what="JWKS")
        keys = [item for item in data["keys"] if isinstance(item, dict) and item.get("use", "sig") == "sig"]
        return list(KeySet.import_key_set({"keys": keys}).keys)
    except (UnusableAnswer, ValueError, KeyError, TypeError, JoseError) as error:
        cache.delete(JWKS_CACHE_KEY.format(url=url))
        problem = error if isinstance(error, UnusableAnswer) else UnusableAnswer("JWKS is not a valid key set", problem="not_a_key_set")
        raise unusable("JWKS", url, problem) from error


def _candidates(keys: list[Key], kid: str | None, algorithm: str) -> list[Key]:
    key_type = KEY_TYPES.get(algorithm[:2])
    return [
        key
        for key in keys
        if key.key_type == key_type
        and (kid is None or key.kid == kid)
        and key.get("alg", algorithm) == algorithm
    ]


def verification_keys(kid: str | None, algorithm: str) -> list[Key]:
    """Keys that may have signed a token with this header; refreshes once on an unknown `kid`."""
    found = _candidates(signing_keys(), kid, algorithm)
    if not found and kid is not None:
        found = _candidates(signing_keys(refresh=True), kid, algorithm)
    return found


def reset_cache() -> None:
    """Forget the cached discovery document and JWKS of the configured provider."""
    urls = {settings.OIDC_OP_JWKS_ENDPOINT}
    if settings.OIDC_OP_URL:
        key = DISCOVERY_CACHE_KEY.format(url=f"{settings.OIDC_OP_URL.rstrip('/')}/.well-known/openid-configuration")
        urls.add((cache.get(key) or {}).get("jwks_uri"))
        cache.delete(key)
    for url in urls - {None}:
        cache.delete(JWKS_CACHE_KEY.format(url=url))
        cache.delete(JWKS_REFRESH_LOCK_KEY.format(url=url))
