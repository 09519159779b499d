"""Typed settings read once from the environment (and `*_FILE` variants for secrets).

Every setting an operator may set is declared here with its type and default. A missing or
malformed value stops the start with a message naming the variable (`ImproperlyConfigured`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, model_validator
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
    "PEOPLE_METRICS_TOKEN",
    "SENTRY_DSN",
    "MAIL_PROVISIONING_API_CREDENTIALS",
)

# Symmetric algorithms would verify with a shared secret (or, misused, with the provider's
# public key as an HMAC secret): only asymmetric signatures are accepted.
SIGNING_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}


def split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def _split_commas_or_spaces(value: Any) -> Any:
    return split_commas(value.replace(" ", ",")) if isinstance(value, str) else value


def _require_asymmetric(value: str | list[str]) -> str | list[str]:
    """Refuse unknown names, `none`, and HMAC, with which anyone who knows the provider's public
    key could sign (the algorithm-confusion attack)."""
    refused = [name for name in ([value] if isinstance(value, str) else value) if name not in SIGNING_ALGORITHMS]
    if refused:
        raise ValueError(f"not an asymmetric signature algorithm: {', '.join(refused)}")
    return value


# An environment variable holding a list: `a,b, c` (empty items dropped), not JSON.
CommaList = Annotated[list[str], NoDecode, BeforeValidator(split_commas)]
# Like `CommaList`, for values that operators also write space-separated (OAuth scopes).
CommaOrSpaceList = Annotated[list[str], NoDecode, BeforeValidator(_split_commas_or_spaces)]
AsymmetricAlgorithm = Annotated[str, AfterValidator(_require_asymmetric)]
AsymmetricAlgorithms = Annotated[CommaList, AfterValidator(_require_asymmetric)]


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
    # Processes of a Celery worker (`worker` of the Procfile); default: two per core, at most 8.
    CELERY_WORKER_CONCURRENCY: int | None = Field(default=None, ge=1)
    # Where `manage.py static` collects the static files (default: PEOPLE_DATA_DIR/static).
    PEOPLE_STATIC_ROOT: Path | None = None
    PEOPLE_DEV_LOGIN: bool = False
    PEOPLE_LOG_JSON: bool = False
    PEOPLE_LOG_LEVEL: str = "INFO"
    # How outbound work (outbox) is delivered: "thread" (in-process worker, embedded mode),
    # "celery" (production), "eager" (right after commit, in the request's thread: tests).
    PEOPLE_JOBS_MODE: Literal["thread", "celery", "eager"] | None = None
    # Outbox schedule: the n-th retry waits BASE * 2**(n-1) seconds (±20%), at most MAX; a
    # message fails after MAX_ATTEMPTS; a worker holds a message for LOCK seconds, after which
    # another one delivers it again (longer than any delivery may take: e-mail timeout 10 s).
    OUTBOX_BACKOFF_BASE_SECONDS: int = Field(default=10, ge=1)
    OUTBOX_BACKOFF_MAX_SECONDS: int = Field(default=6 * 3600, ge=1)
    OUTBOX_MAX_ATTEMPTS: int = Field(default=10, ge=1)
    OUTBOX_LOCK_SECONDS: int = Field(default=300, ge=30)
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
                + " to be set: export them (secrets may be given as a file path in <NAME>_FILE),"
                " e.g. DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME"
                " REDIS_URL=redis://HOST:6379/0; or run the embedded mode (`make run`,"
                " DJANGO_DEBUG=true: SQLite, no Redis)"
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


def settings_from(
    env: BaseSettings, *, include: frozenset[str] | None = None, exclude: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Fields of parsed settings under their own names, to become Django settings
    (`globals().update(...)`), so that a variable is listed once, where it is typed."""
    names = type(env).model_fields.keys() if include is None else include
    unknown = set(names) - type(env).model_fields.keys()
    if unknown:
        raise ImproperlyConfigured(f"not a field of {type(env).__name__}: {', '.join(sorted(unknown))}")
    return {name: getattr(env, name) for name in names if name not in exclude}


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
