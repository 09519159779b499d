"""A bounded, thread-safe map whose entries expire: the per-process caches of the hot paths
(the resource server's verdicts and users)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class ExpiringLru:
    """At most `size()` entries, the least recently used dropped first; each entry is served
    until the time it was put with (`time.time()` seconds). `size` is read at each `put`, so
    that a setting may change it."""

    def __init__(self, size) -> None:
        self._size = size
        self._entries: OrderedDict[Any, tuple[Any, float]] = OrderedDict()
        self.lock = threading.RLock()

    def get(self, key: Any, now: float) -> Any | None:
        with self.lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[1] <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Any, value: Any, until: float) -> None:
        with self.lock:
            self._entries[key] = (value, until)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size():
                self._entries.popitem(last=False)

    def pop(self, key: Any) -> None:
        with self.lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
