"""Settings of the OpenID Connect relying party (sign-in and sign-out through the federation).

Names are the ones the suite already uses. When `OIDC_OP_URL` is set, endpoints not given
explicitly are read from its discovery document (see `people.identity.auth.discovery`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.env import load

CommaList = Annotated[list[str], NoDecode]


class OidcEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    OIDC_OP_URL: str | None = None
    OIDC_OP_AUTHORIZATION_ENDPOINT: str | None = None
    OIDC_OP_TOKEN_ENDPOINT: str | None = None
    OIDC_OP_USER_ENDPOINT: str | None = None
    OIDC_OP_JWKS_ENDPOINT: str | None = None
    OIDC_OP_LOGOUT_ENDPOINT: str | None = None
    OIDC_OP_INTROSPECTION_ENDPOINT: str | None = None
    OIDC_RP_CLIENT_ID: str = "people"
    OIDC_RP_CLIENT_SECRET: str | None = None
    OIDC_RP_SIGN_ALGO: str = "RS256"
    OIDC_RP_ALLOWED_ALGOS: CommaList = Field(default_factory=lambda: ["RS256", "ES256", "PS256"])
    OIDC_RP_SCOPES: str = "openid email"
    OIDC_USE_PKCE: bool = True
    OIDC_USERINFO_ESSENTIAL_CLAIMS: CommaList = Field(default_factory=list)
    OIDC_USERINFO_FULLNAME_FIELDS: CommaList = Field(default_factory=lambda: ["given_name", "usual_name"])
    OIDC_USERINFO_SHORTNAME_FIELD: str = "given_name"
    OIDC_ORGANIZATION_REGISTRATION_ID_FIELD: str | None = None
    OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION: bool = True
    OIDC_CREATE_USER: bool = True
    OIDC_AUTH_REQUEST_EXTRA_PARAMS: dict[str, str] = Field(default_factory=dict)
    OIDC_TIMEOUT: float = Field(default=5.0, gt=0)
    OIDC_VERIFY_SSL: bool = True
    OIDC_REDIRECT_ALLOWED_HOSTS: CommaList = Field(default_factory=list)
    LOGIN_REDIRECT_URL: str = "/"
    LOGIN_REDIRECT_URL_FAILURE: str = "/auth/failure/"
    LOGOUT_REDIRECT_URL: str = "/"

    @field_validator(
        "OIDC_RP_ALLOWED_ALGOS",
        "OIDC_USERINFO_ESSENTIAL_CLAIMS",
        "OIDC_USERINFO_FULLNAME_FIELDS",
        "OIDC_REDIRECT_ALLOWED_HOSTS",
        mode="before",
    )
    @classmethod
    def _commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
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

OIDC_OP_URL = OIDC_ENV.OIDC_OP_URL
OIDC_OP_AUTHORIZATION_ENDPOINT = OIDC_ENV.OIDC_OP_AUTHORIZATION_ENDPOINT
OIDC_OP_TOKEN_ENDPOINT = OIDC_ENV.OIDC_OP_TOKEN_ENDPOINT
OIDC_OP_USER_ENDPOINT = OIDC_ENV.OIDC_OP_USER_ENDPOINT
OIDC_OP_JWKS_ENDPOINT = OIDC_ENV.OIDC_OP_JWKS_ENDPOINT
OIDC_OP_LOGOUT_ENDPOINT = OIDC_ENV.OIDC_OP_LOGOUT_ENDPOINT
OIDC_OP_INTROSPECTION_ENDPOINT = OIDC_ENV.OIDC_OP_INTROSPECTION_ENDPOINT
OIDC_RP_CLIENT_ID = OIDC_ENV.OIDC_RP_CLIENT_ID
OIDC_RP_CLIENT_SECRET = OIDC_ENV.OIDC_RP_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = OIDC_ENV.OIDC_RP_SIGN_ALGO
OIDC_RP_ALLOWED_ALGOS = OIDC_ENV.OIDC_RP_ALLOWED_ALGOS
OIDC_RP_SCOPES = OIDC_ENV.OIDC_RP_SCOPES
OIDC_USE_PKCE = OIDC_ENV.OIDC_USE_PKCE
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USERINFO_ESSENTIAL_CLAIMS = OIDC_ENV.OIDC_USERINFO_ESSENTIAL_CLAIMS
OIDC_USERINFO_FULLNAME_FIELDS = OIDC_ENV.OIDC_USERINFO_FULLNAME_FIELDS
OIDC_USERINFO_SHORTNAME_FIELD = OIDC_ENV.OIDC_USERINFO_SHORTNAME_FIELD
OIDC_ORGANIZATION_REGISTRATION_ID_FIELD = OIDC_ENV.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD
OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION = OIDC_ENV.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION
OIDC_CREATE_USER = OIDC_ENV.OIDC_CREATE_USER
OIDC_AUTH_REQUEST_EXTRA_PARAMS = OIDC_ENV.OIDC_AUTH_REQUEST_EXTRA_PARAMS
OIDC_TIMEOUT = OIDC_ENV.OIDC_TIMEOUT
OIDC_VERIFY_SSL = OIDC_ENV.OIDC_VERIFY_SSL
OIDC_REDIRECT_ALLOWED_HOSTS = OIDC_ENV.OIDC_REDIRECT_ALLOWED_HOSTS
OIDC_STORE_ID_TOKEN = True
LOGIN_REDIRECT_URL = OIDC_ENV.LOGIN_REDIRECT_URL
LOGIN_REDIRECT_URL_FAILURE = OIDC_ENV.LOGIN_REDIRECT_URL_FAILURE
LOGOUT_REDIRECT_URL = OIDC_ENV.LOGOUT_REDIRECT_URL
