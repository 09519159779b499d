"""Per-user rate limits of the directory endpoints (rates: DEFAULT_THROTTLE_RATES in settings)."""

from rest_framework.throttling import UserRateThrottle


class BurstRateThrottle(UserRateThrottle):
    scope = "user_burst"


class SustainedRateThrottle(UserRateThrottle):
    scope = "user_sustained"


DIRECTORY_THROTTLES = [BurstRateThrottle, SustainedRateThrottle]
