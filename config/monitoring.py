"""Settings of what operators watch: the Prometheus scrape's access, the heartbeat's outbox
threshold, and error reports to Sentry.

Sentry is set up here, when the settings are read, so that the web processes and the Celery
workers (which read the same settings before their first task) report alike. Without
`SENTRY_DSN` the SDK is not even imported: nothing leaves the machine.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, IPvAnyNetwork
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.env import load, settings_from, split_commas


class MonitoringEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    DJANGO_DEBUG: bool = False
    RELEASE: str = "NA"
    # Who may read /__metrics__: the holder of this bearer token, or a caller from these
    # networks (CIDR, comma-separated). Neither set: the endpoint answers 404.
    PEOPLE_METRICS_TOKEN: str | None = Field(default=None, min_length=16)
    PEOPLE_METRICS_ALLOWED_IPS: Annotated[list[IPvAnyNetwork], NoDecode, BeforeValidator(split_commas)] = Field(
        default_factory=list
    )
    # Seconds the oldest due outbox row may wait before /__heartbeat__ answers 503 (unset: the
    # lag is only reported).
    PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG: int | None = Field(default=None, ge=1)
    SENTRY_DSN: str | None = None
    SENTRY_ENVIRONMENT: str | None = None


def sentry_init(*, dsn: str | None, release: str, environment: str, transport: Any = None) -> bool:
    """Send unhandled errors of requests and Celery tasks to Sentry; True when set up. No
    personal data is sent (no cookies, user, address or request body)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=environment,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        transport=transport,
    )
    return True


MONITORING_ENV: MonitoringEnv = load(MonitoringEnv)

globals().update(
    settings_from(
        MONITORING_ENV,
        include=frozenset({"PEOPLE_METRICS_TOKEN", "PEOPLE_METRICS_ALLOWED_IPS", "PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG"}),
    )
)
SENTRY_ENABLED = sentry_init(
    dsn=MONITORING_ENV.SENTRY_DSN,
    release=MONITORING_ENV.RELEASE,
    environment=MONITORING_ENV.SENTRY_ENVIRONMENT or ("development" if MONITORING_ENV.DJANGO_DEBUG else "production"),
)
