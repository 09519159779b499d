"""Settings of the OpenID Connect relying party (sign-in and sign-out through the federation).

Names are the ones the suite already uses. When `OIDC_OP_URL` is set, endpoints (and the
issuer) not given explicitly are read from its discovery document (see
`people.oidc.provider`). List settings are comma-separated, except `OIDC_RP_SCOPES`,
space-separated like OAuth scopes. The onboarding backend (told about each new account) is
configured here too, as it is part of the sign-in flow.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.env import AsymmetricAlgorithm, AsymmetricAlgorithms, CommaList, load, settings_from


class OidcEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    OIDC_OP_URL: str | None = None
    OIDC_OP_ISSUER: str | None = None
    OIDC_OP_AUTHORIZATION_ENDPOINT: str | None = None
    OIDC_OP_TOKEN_ENDPOINT: str | None = None
    OIDC_OP_USER_ENDPOINT: str | None = None
    OIDC_OP_JWKS_ENDPOINT: str | None = None
    OIDC_OP_LOGOUT_ENDPOINT: str | None = None
    OIDC_OP_INTROSPECTION_ENDPOINT: str | None = None
    OIDC_RP_CLIENT_ID: str = "people"
    OIDC_RP_CLIENT_SECRET: str | None = None
    OIDC_RP_SIGN_ALGO: AsymmetricAlgorithm = "RS256"
    OIDC_RP_ALLOWED_ALGOS: AsymmetricAlgorithms = Field(default_factory=lambda: ["RS256", "ES256", "PS256"])
    OIDC_RP_SCOPES: str = "openid email"
    OIDC_USE_PKCE: bool = True
    OIDC_TOKEN_USE_BASIC_AUTH: bool = False
    OIDC_USERINFO_ESSENTIAL_CLAIMS: CommaList = Field(default_factory=list)
    OIDC_USERINFO_FULLNAME_FIELDS: CommaList = Field(default_factory=lambda: ["given_name", "usual_name"])
    OIDC_USERINFO_SHORTNAME_FIELD: str = "given_name"
    OIDC_ORGANIZATION_REGISTRATION_ID_FIELD: str | None = None
    OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION: bool = True
    OIDC_CREATE_USER: bool = True
    OIDC_AUTH_REQUEST_EXTRA_PARAMS: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    OIDC_TIMEOUT: float = Field(default=5.0, gt=0)
    OIDC_VERIFY_SSL: bool = True
    OIDC_REDIRECT_ALLOWED_HOSTS: CommaList = Field(default_factory=list)
    OIDC_CLOCK_SKEW: int = Field(default=60, ge=0, le=600)
    OIDC_OP_DISCOVERY_CACHE_TTL: int = Field(default=3600, ge=0)
    OIDC_OP_JWKS_CACHE_TTL: int = Field(default=3600, ge=0)
    OIDC_OP_JWKS_REFRESH_INTERVAL: int = Field(default=10, ge=0)
    # Largest answer read from the provider (discovery, JWKS, introspection), in bytes.
    OIDC_OP_MAX_RESPONSE_SIZE: int = Field(default=65536, ge=1024)
    LOGIN_REDIRECT_URL: str = "/"
    LOGIN_REDIRECT_URL_FAILURE: str = "/api/v1.0/login-failure/"
    LOGOUT_REDIRECT_URL: str = "/"

    # Onboarding: "none", "http" (contact-creation API of an e-mailing service) or a dotted path.
    ONBOARDING_BACKEND: str = "none"
    ONBOARDING_API_URL: str | None = None
    ONBOARDING_API_KEY: str | None = None
    ONBOARDING_LIST_ID: int | None = None
    ONBOARDING_TIMEOUT: float = Field(default=10.0, gt=0)

    @field_validator("OIDC_RP_SCOPES")
    @classmethod
    def _scopes(cls, value: str) -> str:
        """Space-separated like OAuth scopes; without `openid` no ID token would come back."""
        scopes = value.split()
        if "openid" not in scopes:
            raise ValueError("space-separated OAuth scopes that include openid, e.g. 'openid email'")
        return " ".join(dict.fromkeys(scopes))

    @field_validator("OIDC_OP_URL", "OIDC_OP_ISSUER", "ONBOARDING_API_URL")
    @classmethod
    def _url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        if info.field_name == "OIDC_OP_ISSUER":
            return value  # compared as an exact string with the tokens' `iss`: kept verbatim
        return value.rstrip("/") if value else value

    @field_validator("ONBOARDING_BACKEND")
    @classmethod
    def _onboarding(cls, value: str) -> str:
        if value not in {"none", "http"} and "." not in value:
            raise ValueError("must be 'none', 'http' or the dotted path of a backend class")
        return value

    @field_validator("OIDC_AUTH_REQUEST_EXTRA_PARAMS", mode="before")
    @classmethod
    def _params(cls, value: Any) -> Any:
        """Accept JSON (`{"acr_values": "eidas1"}`) or a query string (`acr_values=eidas1&x=y`)."""
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return {}
            if value.startswith("{"):
                return json.loads(value)
            from urllib.parse import parse_qsl

            return dict(parse_qsl(value, strict_parsing=True))
        return value


OIDC_ENV: OidcEnv = load(OidcEnv)

globals().update(settings_from(OIDC_ENV))
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
