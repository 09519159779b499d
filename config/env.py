"""Typed settings read once from the environment (and `*_FILE` variants for secrets).

Every setting an operator may set is declared here with its type and default. A missing or
malformed value stops the start with a message naming the variable (`ImproperlyConfigured`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from django.core.exceptions import ImproperlyConfigured
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

# Secrets that may also be given as a path in `<NAME>_FILE`.
SECRET_NAMES = (
    "DJANGO_SECRET_KEY",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_RS_CLIENT_SECRET",
    "OIDC_RS_PRIVATE_KEY_STR",
    "EMAIL_HOST_PASSWORD",
    "ONBOARDING_API_KEY",
)

CommaList = Annotated[list[str], NoDecode]


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Env(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    # --- Django core
    DJANGO_DEBUG: bool = False
    DJANGO_SECRET_KEY: str | None = None
    DJANGO_ALLOWED_HOSTS: CommaList = Field(default_factory=list)
    DJANGO_CSRF_TRUSTED_ORIGINS: CommaList = Field(default_factory=list)
    DATABASE_URL: str | None = None
    REDIS_URL: str | None = None
    PEOPLE_DATA_DIR: Path = BASE_DIR / "var"
    PEOPLE_DEV_LOGIN: bool = False
    PEOPLE_LOG_JSON: bool = False
    PEOPLE_LOG_LEVEL: str = "INFO"
    # How outbound work (outbox) is delivered: "thread" (in-process worker, embedded mode),
    # "celery" (production), "eager" (right after commit, in the request's thread: tests).
    PEOPLE_JOBS_MODE: str | None = None
    RELEASE: str = "NA"
    COMMIT: str = "NA"
    CRISP_WEBSITE_ID: str | None = None

    # --- Features (feed the abilities of /users/me/)
    FEATURE_CONTACTS_DISPLAY: bool = True
    FEATURE_CONTACTS_CREATE: bool = True
    FEATURE_TEAMS_DISPLAY: bool = True
    FEATURE_TEAMS_CREATE: bool = True
    FEATURE_MAILBOXES_CREATE: bool = True

    # --- Directory rules
    INVITATION_VALIDITY_DAYS: int = Field(default=7, ge=1, le=365)
    USER_EMAIL_UNIQUE: bool = True
    ORGANIZATION_REGISTRATION_ID_VALIDATORS: CommaList = Field(
        default_factory=lambda: ["people.identity.validators.validate_siret"]
    )

    # --- E-mail
    EMAIL_BACKEND: str | None = None
    EMAIL_HOST: str = "localhost"
    EMAIL_PORT: int = 25
    EMAIL_HOST_USER: str = ""
    EMAIL_HOST_PASSWORD: str = ""
    EMAIL_USE_TLS: bool = False
    EMAIL_USE_SSL: bool = False
    EMAIL_FROM: str = "People <noreply@people.localhost>"
    EMAIL_BRAND_NAME: str = "People"
    PEOPLE_PUBLIC_URL: str = "http://127.0.0.1:8000"

    # --- Throttling (per authenticated user)
    THROTTLE_USER_SUSTAINED: str = "150/hour"
    THROTTLE_USER_BURST: str = "20/minute"

    @field_validator(
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "ORGANIZATION_REGISTRATION_ID_VALIDATORS",
        mode="before",
    )
    @classmethod
    def _commas(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("PEOPLE_JOBS_MODE")
    @classmethod
    def _jobs_mode(cls, value: str | None) -> str | None:
        if value is not None and value not in {"thread", "celery", "eager"}:
            raise ValueError("must be one of: thread, celery, eager")
        return value

    @model_validator(mode="after")
    def _production_requirements(self) -> Env:
        if self.DJANGO_DEBUG:
            return self
        missing = [
            name
            for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL")
            if not getattr(self, name)
        ]
        if not self.DJANGO_ALLOWED_HOSTS:
            missing.append("DJANGO_ALLOWED_HOSTS")
        if missing:
            raise ValueError(
                "production settings (DJANGO_DEBUG=false) need "
                + ", ".join(missing)
                + " to be set"
            )
        if self.PEOPLE_DEV_LOGIN:
            raise ValueError(
                "PEOPLE_DEV_LOGIN=true is refused in production (DJANGO_DEBUG=false)"
            )
        return self


def read_secret_files(environ: dict[str, str]) -> dict[str, str]:
    """Return the values of `<NAME>_FILE` variables for secrets not given directly."""
    values: dict[str, str] = {}
    for name in SECRET_NAMES + ("OIDC_RS_PRIVATE_KEY",):
        path = environ.get(f"{name}_FILE")
        if not path or environ.get(name):
            continue
        try:
            values[name] = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path!r}: {error}") from error
    return values


def load(model: type[BaseSettings]) -> Any:
    """Parse `model` from the environment; turn validation errors into one clear message."""
    overrides = read_secret_files(dict(os.environ))
    try:
        return model(**overrides)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]) or "settings"
            lines.append(f"{name}: {problem['msg']}")
        raise ImproperlyConfigured("invalid configuration:\n  " + "\n  ".join(lines)) from None
