"""Settings of the mail platform (the suite's "dimail" provisioning API) and of the mail jobs.

Names are the ones the suite already uses (`MAIL_PROVISIONING_API_URL`,
`MAIL_PROVISIONING_API_CREDENTIALS`, `WEBMAIL_URL` as `MAIL_WEBMAIL_URL`). Without an API URL,
mail domains, mailboxes and aliases are still recorded, and their provisioning waits (retried)
until one is configured. Intervals are in seconds.
"""

from __future__ import annotations

import base64
import binascii

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.env import CommaList, load, settings_from


class MailEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    MAIL_PROVISIONING_API_URL: str | None = None
    # Basic credentials of People's account at the platform: `user:password`, or its base64 as
    # the suite's directory takes it. A secret: MAIL_PROVISIONING_API_CREDENTIALS_FILE too.
    MAIL_PROVISIONING_API_CREDENTIALS: str | None = None
    MAIL_PROVISIONING_API_CONNECT_TIMEOUT: float = Field(default=5.0, gt=0)
    MAIL_PROVISIONING_API_TIMEOUT: float = Field(default=20.0, gt=0)
    MAIL_PROVISIONING_API_VERIFY_SSL: bool = True
    # The platform's tokens last about 47 minutes; People renews them before, and on a 401/403.
    MAIL_PROVISIONING_TOKEN_TTL: int = Field(default=2400, ge=60)
    # Attempts of one provisioning message before the outbox gives up on it (with its backoff,
    # capped at OUTBOX_BACKOFF_MAX_SECONDS, weeks); the periodic job then queues the object again.
    MAIL_PROVISIONING_MAX_ATTEMPTS: int = Field(default=200, ge=1)
    # The webmail: one-time login links are `<MAIL_WEBMAIL_URL>/code/<code>`.
    MAIL_WEBMAIL_URL: str | None = None
    # The periodic job wakes every SWEEP seconds and checks the domains whose last check is older
    # than their status's interval: PENDING for pending and action_required domains, ENABLED for
    # enabled and failed ones.
    MAIL_DOMAIN_CHECK_SWEEP_SECONDS: int = Field(default=60, ge=5)
    MAIL_DOMAIN_CHECK_INTERVAL_PENDING: int = Field(default=600, ge=10)
    MAIL_DOMAIN_CHECK_INTERVAL_ENABLED: int = Field(default=86400, ge=60)
    # Mailboxes and aliases made on the platform outside People are imported this often.
    MAIL_IMPORT_INTERVAL: int = Field(default=3600, ge=60)
    # Local parts of the platform's own accounts, never imported.
    MAIL_TECHNICAL_ACCOUNTS: CommaList = Field(default_factory=lambda: ["oxadmin"])

    @field_validator("MAIL_PROVISIONING_API_URL", "MAIL_WEBMAIL_URL")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("MAIL_PROVISIONING_API_CREDENTIALS")
    @classmethod
    def _credentials(cls, value: str | None) -> str | None:
        """Stored as the base64 the `Authorization: Basic` header carries."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        if ":" in value:
            return base64.b64encode(value.encode()).decode()
        try:
            decoded = base64.b64decode(value, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        if ":" not in decoded:
            raise ValueError("must be user:password, or its base64")
        return value

    @field_validator("MAIL_TECHNICAL_ACCOUNTS")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [item.lower() for item in value]

    @model_validator(mode="after")
    def _credentials_with_url(self) -> MailEnv:
        if self.MAIL_PROVISIONING_API_URL and not self.MAIL_PROVISIONING_API_CREDENTIALS:
            raise ValueError(
                "MAIL_PROVISIONING_API_URL needs MAIL_PROVISIONING_API_CREDENTIALS (user:password, "
                "or a file path in MAIL_PROVISIONING_API_CREDENTIALS_FILE)"
            )
        return self


MAIL_ENV: MailEnv = load(MailEnv)

globals().update(settings_from(MAIL_ENV))

# The periodic jobs of the mail app, merged into CELERY_BEAT_SCHEDULE by config.settings.
MAIL_BEAT_SCHEDULE = {
    "mail-domains-check": {
        "task": "people.mail.tasks.mail_domains_check_due",
        "schedule": float(MAIL_ENV.MAIL_DOMAIN_CHECK_SWEEP_SECONDS),
    },
    "mail-import": {
        "task": "people.mail.tasks.mail_import_all",
        "schedule": float(MAIL_ENV.MAIL_IMPORT_INTERVAL),
    },
}
