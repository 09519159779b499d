"""Settings of the OAuth2 resource server (token introspection, our encryption key).

The provider (issuer, `OIDC_OP_INTROSPECTION_ENDPOINT`, `OIDC_OP_JWKS_ENDPOINT`, or discovery
from `OIDC_OP_URL`) and the caching of its keys are shared with the sign-in (`config/oidc.py`).
Keys are parsed and checked once at start-up by `people.oidc.keys`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.env import load
from config.oidc import require_asymmetric

CommaList = Annotated[list[str], NoDecode]

# What DRF's throttles parse: a count per second, minute, hour or day (spelled out or not).
RATE_PATTERN = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")


class ResourceServerEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    OIDC_RS_CLIENT_ID: str | None = None
    OIDC_RS_CLIENT_SECRET: str | None = None
    OIDC_RS_INTROSPECTION_FORMAT: str = "json"
    OIDC_RS_AUDIENCE_CLAIM: str = "client_id"
    OIDC_RS_SCOPES: CommaList = Field(default_factory=lambda: ["groups"])
    OIDC_RS_SIGNING_ALGO: str = "ES256"
    OIDC_RS_ENCRYPTION_KEY_TYPE: str = "RSA"
    OIDC_RS_ENCRYPTION_ALGO: str = "RSA-OAEP"
    OIDC_RS_ENCRYPTION_ENCODING: str = "A256GCM"
    OIDC_RS_PRIVATE_KEY_STR: str | None = None
    OIDC_RS_PRIVATE_KEY: str | None = None  # filled from OIDC_RS_PRIVATE_KEY_FILE
    OIDC_RS_CACHE_TTL: int = Field(default=60, ge=0)
    OIDC_RS_INACTIVE_CACHE_TTL: int = Field(default=5, ge=0)
    OIDC_RS_TIMEOUT: float = Field(default=5.0, gt=0)
    OIDC_RS_LEEWAY: int = Field(default=30, ge=0)
    # Calls per service and user on the resource-server API; "none" (or empty) disables it.
    THROTTLE_SERVICE_RATE: str | None = "600/minute"

    @field_validator("OIDC_RS_SCOPES", mode="before")
    @classmethod
    def _commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.replace(" ", ",").split(",") if item.strip()]
        return value

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

    @field_validator("OIDC_RS_INTROSPECTION_FORMAT")
    @classmethod
    def _format(cls, value: str) -> str:
        if value not in {"json", "jwt"}:
            raise ValueError("must be 'json' or 'jwt'")
        return value

    @field_validator("OIDC_RS_ENCRYPTION_KEY_TYPE")
    @classmethod
    def _key_type(cls, value: str) -> str:
        if value not in {"RSA", "EC", "OKP"}:
            raise ValueError("must be 'RSA', 'EC' or 'OKP'")
        return value

    @field_validator("OIDC_RS_SIGNING_ALGO")
    @classmethod
    def _signing_algorithm(cls, value: str) -> str:
        require_asymmetric(value)
        return value

    @field_validator("OIDC_RS_AUDIENCE_CLAIM")
    @classmethod
    def _audience(cls, value: str) -> str:
        if value not in {"client_id", "aud"}:
            raise ValueError("must be 'client_id' or 'aud'")
        return value


RS_ENV: ResourceServerEnv = load(ResourceServerEnv)

OIDC_RS_CLIENT_ID = RS_ENV.OIDC_RS_CLIENT_ID
OIDC_RS_CLIENT_SECRET = RS_ENV.OIDC_RS_CLIENT_SECRET
OIDC_RS_INTROSPECTION_FORMAT = RS_ENV.OIDC_RS_INTROSPECTION_FORMAT
OIDC_RS_AUDIENCE_CLAIM = RS_ENV.OIDC_RS_AUDIENCE_CLAIM
OIDC_RS_SCOPES = RS_ENV.OIDC_RS_SCOPES
OIDC_RS_SIGNING_ALGO = RS_ENV.OIDC_RS_SIGNING_ALGO
OIDC_RS_ENCRYPTION_KEY_TYPE = RS_ENV.OIDC_RS_ENCRYPTION_KEY_TYPE
OIDC_RS_ENCRYPTION_ALGO = RS_ENV.OIDC_RS_ENCRYPTION_ALGO
OIDC_RS_ENCRYPTION_ENCODING = RS_ENV.OIDC_RS_ENCRYPTION_ENCODING
OIDC_RS_PRIVATE_KEY_STR = RS_ENV.OIDC_RS_PRIVATE_KEY_STR or RS_ENV.OIDC_RS_PRIVATE_KEY
OIDC_RS_CACHE_TTL = RS_ENV.OIDC_RS_CACHE_TTL
OIDC_RS_INACTIVE_CACHE_TTL = RS_ENV.OIDC_RS_INACTIVE_CACHE_TTL
OIDC_RS_TIMEOUT = RS_ENV.OIDC_RS_TIMEOUT
OIDC_RS_LEEWAY = RS_ENV.OIDC_RS_LEEWAY
THROTTLE_SERVICE_RATE = RS_ENV.THROTTLE_SERVICE_RATE
