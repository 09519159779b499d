"""The users of recent bearer calls, kept in each web process for as long as PostgreSQL says
nothing changed them.

Reading the token's user is the only round trip of a warm resource-server call (the verdict is
in `LOCAL_VERDICTS`), and `make bench` showed it costs a third of the throughput of
`users/me/`. It is read at every call so that a deactivated user is refused at once; kept here,
it stays exact because the database says when it changes:

- a trigger on `identity_user` and `identity_organization` (migration
  `identity.0004_notify_user_changes`) sends `NOTIFY people_user_changed` with the user's `sub`
  (`*` for an organization) for every updated or deleted row, whatever wrote it (the ORM, a
  bulk `update()`, SCIM, the admin, SQL by hand);
- each process that uses this cache has a thread that `LISTEN`s on its own connection and drops
  the users named, within milliseconds of the writer's commit;
- the cache is used only while that thread listens: when its connection breaks, everything is
  forgotten and every call reads the database until the thread listens again;
- a user read while a notification arrives is not kept (`generation`), so a read that raced a
  change cannot put back the user the change replaced;
- an entry lives `OIDC_RS_LOCAL_CACHE_TTL` seconds at most even so, and each call gets its own
  copy of the user.

PostgreSQL only (SQLite has no notifications: there every call reads the user), and only with a
direct connection (`LISTEN` does not work through PgBouncer in transaction mode: set
`OIDC_RS_LOCAL_USER_CACHE=false` there).
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections

from people.core.lru import ExpiringLru
from people.identity.models import User

logger = logging.getLogger("people.resource_server")

CHANNEL = "people_user_changed"
APPLICATION_NAME = "people-known-users"
EVERYONE = "*"
# Seconds between two checks that the listening connection still answers, and the longest wait
# before reconnecting after a failure.
PING_EVERY = 10.0
MAX_BACKOFF = 30.0
# Seconds `stop` may wait for the thread to notice.
STOP_WITHIN = 0.5


class KnownUsers:
    def __init__(self) -> None:
        self._entries = ExpiringLru(lambda: settings.OIDC_RS_LOCAL_CACHE_SIZE)
        self._lock = self._entries.lock
        # Bumped by every notification and every loss of the connection (see `remember`).
        self.generation = 0
        self.listening = False
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # --- the cache ------------------------------------------------------------------------

    def get(self, sub: str, now: float) -> User | None:
        """A copy of the user kept for `sub`, or None."""
        with self._lock:
            user = self._entries.get(sub, now) if self.listening else None
        return None if user is None else copy.copy(user)

    def remember(self, sub: str, user: User, generation: int, now: float) -> None:
        """Keep `user`, read when `generation` was current, unless a change came since."""
        with self._lock:
            if self.listening and generation == self.generation:
                self._entries.put(sub, copy.copy(user), now + settings.OIDC_RS_LOCAL_CACHE_TTL)

    def forget(self, payload: str) -> None:
        """What a notification says: the user of that `sub` changed, or (`*`) anyone may have."""
        with self._lock:
            self.generation += 1
            if payload == EVERYONE:
                self._entries.clear()
            else:
                self._entries.pop(payload)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    # --- the listening thread -------------------------------------------------------------

    def start(self, connect: Callable | None = None) -> None:
        """Start listening (once per process; the thread is a daemon). Called at every call:
        a running thread is seen without taking the lock."""
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._listen, args=(connect or _connect,), name="people-known-users", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None

    def _set_listening(self, listening: bool) -> None:
        """Listening or not, start empty: what changed meanwhile was not heard."""
        with self._lock:
            self.listening = listening
            self.clear()

    def _listen(self, connect: Callable) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                with connect() as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    # Whatever changed before this point was not heard: start empty.
                    self._set_listening(True)
                    logger.info("listening to user changes", extra={"event": "known_users_listening"})
                    backoff = 1.0
                    pinged = time.monotonic()
                    while not self._stop.is_set():
                        for notification in connection.notifies(timeout=STOP_WITHIN):
                            self.forget(notification.payload)
                        if time.monotonic() - pinged >= PING_EVERY:
                            connection.execute("SELECT 1")  # a connection lost without a word shows here
                            pinged = time.monotonic()
            except Exception as error:  # noqa: BLE001 - any failure: stop using the cache, retry
                logger.warning(
                    "not listening to user changes: every call reads its user until this recovers (%s)",
                    error,
                    extra={"event": "known_users_lost", "error": str(error)},
                )
            finally:
                self._set_listening(False)
            self._stop.wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)


def _connect():
    """A connection of its own to the default database, in autocommit, that notices a dead peer
    within seconds (TCP keepalives and user timeout)."""
    import psycopg

    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    params.setdefault("keepalives", 1)
    params.setdefault("keepalives_idle", 10)
    params.setdefault("keepalives_interval", 5)
    params.setdefault("keepalives_count", 3)
    params.setdefault("tcp_user_timeout", 30_000)
    params["application_name"] = APPLICATION_NAME  # how operators find it in pg_stat_activity
    return psycopg.connect(**params, autocommit=True)


KNOWN_USERS = KnownUsers()


def enabled() -> bool:
    return bool(
        settings.OIDC_RS_LOCAL_USER_CACHE
        and settings.OIDC_RS_LOCAL_CACHE_TTL
        and connections["default"].vendor == "postgresql"
    )


def user_for(sub: str, read: Callable[[str], User | None]) -> User | None:
    """The active user of `sub`: this process's copy when it has one, else `read(sub)` (kept)."""
    if not enabled():
        return read(sub)
    KNOWN_USERS.start()
    now = time.time()
    user = KNOWN_USERS.get(sub, now)
    if user is not None:
        return user
    generation = KNOWN_USERS.generation
    user = read(sub)
    if user is not None:
        KNOWN_USERS.remember(sub, user, generation, now)
    return user
