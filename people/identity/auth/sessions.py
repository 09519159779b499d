"""Which Django sessions belong to a provider session (`sid`) or a user, for back-channel logout.

Kept in the shared cache for as long as a session may live (`SESSION_COOKIE_AGE`): the provider
only names its own session id or the subject, and any worker may receive its call.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.cache import cache

SID_KEY = "oidc:bcl:sid:{sid}"
USER_KEY = "oidc:bcl:user:{user}"
MAX_SESSIONS_PER_USER = 50


def remember(*, session_key: str, user_pk: Any, sid: str | None) -> None:
    ttl = settings.SESSION_COOKIE_AGE
    if sid:
        cache.set(SID_KEY.format(sid=sid), session_key, ttl)
    key = USER_KEY.format(user=user_pk)
    keys = [item for item in cache.get(key, []) if item != session_key][-(MAX_SESSIONS_PER_USER - 1):]
    cache.set(key, [*keys, session_key], ttl)


def session_keys(*, sid: str | None = None, user_pk: Any = None) -> list[str]:
    """Sessions opened with provider session `sid`, or all sessions of the user."""
    if sid:
        found = cache.get(SID_KEY.format(sid=sid))
        return [found] if found else []
    if user_pk is not None:
        return list(cache.get(USER_KEY.format(user=user_pk), []))
    return []


def end(keys: list[str], *, sid: str | None = None, user_pk: Any = None) -> int:
    """Delete these sessions; returns how many there were."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in keys:
        store(session_key=session_key).delete()
    if sid:
        cache.delete(SID_KEY.format(sid=sid))
    if user_pk is not None and not sid:
        cache.delete(USER_KEY.format(user=user_pk))
    return len(keys)
