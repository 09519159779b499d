"""Per-user rate limits of the directory endpoints (rates: DEFAULT_THROTTLE_RATES in settings).

Two windows per user, `user_burst` (20/minute) and `user_sustained` (150/hour), checked together:
each keeps the times of the user's recent requests in the shared cache, as DRF's throttles do,
but both are read in one cache call and written in one, so a request costs two round trips to
Redis instead of four. A refused request is counted in neither window.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class DirectoryRateThrottle(SimpleRateThrottle):
    scopes = ("user_burst", "user_sustained")
    # Read at each request (tests and operators change the settings); None: that window is off.
    THROTTLE_RATES = None

    def __init__(self) -> None:
        """SimpleRateThrottle's single rate, read here, is replaced by one per scope."""

    def rates(self) -> dict[str, tuple[int, int]]:
        configured = self.THROTTLE_RATES if self.THROTTLE_RATES is not None else api_settings.DEFAULT_THROTTLE_RATES
        limits = {}
        for scope in self.scopes:
            num_requests, duration = self.parse_rate(configured.get(scope))
            if num_requests is not None:
                limits[scope] = (num_requests, duration)
        return limits

    def allow_request(self, request, view) -> bool:
        user = request.user
        limits = self.rates()
        if not limits or not (user and user.is_authenticated):
            return True
        keys = {scope: self.cache_format % {"scope": scope, "ident": user.pk} for scope in limits}
        stored = self.cache.get_many(list(keys.values()))
        now = self.timer()
        histories, waits = {}, []
        for scope, (num_requests, duration) in limits.items():
            history = [moment for moment in stored.get(keys[scope], []) if moment > now - duration]
            if len(history) >= num_requests:
                waits.append(duration - (now - history[-1]))
            histories[scope] = history
        if waits:
            self._wait = max(waits)
            return False
        self.cache.set_many({keys[scope]: [now, *history] for scope, history in histories.items()},
                            max(duration for _, duration in limits.values()))
        return True

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


DIRECTORY_THROTTLES = [DirectoryRateThrottle]
