"""Settings of the OAuth2 resource server (token introspection, our encryption key).

The provider (issuer, `OIDC_OP_INTROSPECTION_ENDPOINT`, `OIDC_OP_JWKS_ENDPOINT`, or discovery
from `OIDC_OP_URL`) and the caching of its keys are shared with the sign-in (`config/oidc.py`).
Keys are parsed and checked once at start-up by `people.oidc.keys`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.env import AsymmetricAlgorithm, CommaOrSpaceList, load, settings_from

# What DRF's throttles parse: a count per second, minute, hour or day (spelled out or not).
RATE_PATTERN = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")


class ResourceServerEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    OIDC_RS_CLIENT_ID: str | None = None
    OIDC_RS_CLIENT_SECRET: str | None = None
    OIDC_RS_INTROSPECTION_FORMAT: Literal["json", "jwt"] = "json"
    OIDC_RS_AUDIENCE_CLAIM: Literal["client_id", "aud"] = "client_id"
    OIDC_RS_SCOPES: CommaOrSpaceList = Field(default_factory=lambda: ["groups"])
    OIDC_RS_SIGNING_ALGO: AsymmetricAlgorithm = "ES256"
    OIDC_RS_ENCRYPTION_KEY_TYPE: Literal["RSA", "EC", "OKP"] = "RSA"
    OIDC_RS_ENCRYPTION_ALGO: str = "RSA-OAEP"
    OIDC_RS_ENCRYPTION_ENCODING: str = "A256GCM"
    OIDC_RS_PRIVATE_KEY_STR: str | None = None
    OIDC_RS_PRIVATE_KEY: str | None = None  # filled from OIDC_RS_PRIVATE_KEY_FILE
    OIDC_RS_CACHE_TTL: int = Field(default=60, ge=0)
    OIDC_RS_INACTIVE_CACHE_TTL: int = Field(default=5, ge=0)
    # Each web process also keeps the active verdicts it used for up to this many seconds (never
    # past the token's `exp`), so that a warm call does not wait on the shared cache; 0 disables.
    OIDC_RS_LOCAL_CACHE_TTL: int = Field(default=30, ge=0)
    OIDC_RS_LOCAL_CACHE_SIZE: int = Field(default=10_000, ge=1)
    # ...and the users of those calls, for as long as PostgreSQL notifies it of no change to
    # them (people.resource_server.known_users); needs LISTEN: false behind PgBouncer in
    # transaction mode.
    OIDC_RS_LOCAL_USER_CACHE: bool = True
    OIDC_RS_TIMEOUT: float = Field(default=5.0, gt=0)
    OIDC_RS_LEEWAY: int = Field(default=30, ge=0)
    # Calls per service and user on the resource-server API; "none" (or empty) disables it.
    THROTTLE_SERVICE_RATE: str | None = "600/minute"

    @field_validator("THROTTLE_SERVICE_RATE", mode="before")
    @classmethod
    def _rate(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = value.strip().lower()
            if value in {"", "none", "off"}:
                return None
            if RATE_PATTERN.fullmatch(value):
                return value
        raise ValueError("must be like '600/minute' (per second, minute, hour or day) or 'none'")


RS_ENV: ResourceServerEnv = load(ResourceServerEnv)

globals().update(settings_from(RS_ENV, exclude=frozenset({"OIDC_RS_PRIVATE_KEY"})))
OIDC_RS_PRIVATE_KEY_STR = RS_ENV.OIDC_RS_PRIVATE_KEY_STR or RS_ENV.OIDC_RS_PRIVATE_KEY
