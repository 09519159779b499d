"""Settings that protect the service from the browser's side and against password guessing:
HTTPS (HSTS, redirect, the proxy's scheme header), Content-Security-Policy, caching of personal
API answers, the published API documentation, and the lockout of repeated password failures
(django-axes).

Defaults are the production ones; development (DJANGO_DEBUG=true) turns HTTPS enforcement off
and publishes the API documentation.
"""

from __future__ import annotations

from datetime import timedelta

from csp.constants import NONCE, NONE, SELF
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.env import CommaList, load

_LOCKOUT_NAMES = {"username", "ip_address", "user_agent"}


class SecurityEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    DJANGO_DEBUG: bool = False

    # --- HTTPS (production defaults; development never forces HTTPS)
    DJANGO_SECURE_HSTS_SECONDS: int | None = Field(default=None, ge=0)
    DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = True
    DJANGO_SECURE_HSTS_PRELOAD: bool = False
    DJANGO_SECURE_SSL_REDIRECT: bool | None = None
    # `Header-Name=value` that the TLS-terminating proxy sets on HTTPS requests; empty when no
    # proxy is in front (a client could otherwise claim HTTPS itself).
    DJANGO_SECURE_PROXY_SSL_HEADER: str = "X-Forwarded-Proto=https"

    # --- The OpenAPI schema and Swagger UI (default: on in development, off in production)
    PEOPLE_API_DOCS: bool | None = None

    # --- Lockout of password sign-in (the admin's) after repeated failures
    AXES_FAILURE_LIMIT: int = Field(default=5, ge=1, le=1000)
    AXES_COOLOFF_SECONDS: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    # Each item is counted on its own; `a+b` counts the combination (`username+ip_address`).
    AXES_LOCKOUT_PARAMETERS: CommaList = Field(default_factory=lambda: ["username", "ip_address"])
    # Behind a reverse proxy: the header carrying the client's address (`X-Forwarded-For`,
    # `X-Real-IP`...) and how many proxies append to it (the client is that many from the right).
    PEOPLE_CLIENT_IP_HEADER: str | None = None
    PEOPLE_CLIENT_IP_PROXIES: int = Field(default=1, ge=1, le=10)

    @field_validator("AXES_LOCKOUT_PARAMETERS")
    @classmethod
    def _lockout_parameters(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one of username, ip_address, username+ip_address")
        for item in value:
            if not set(item.split("+")) <= _LOCKOUT_NAMES:
                raise ValueError(f"{item!r}: use username, ip_address, user_agent, or a+b to combine them")
        return value

    @field_validator("DJANGO_SECURE_PROXY_SSL_HEADER")
    @classmethod
    def _proxy_ssl_header(cls, value: str) -> str:
        value = value.strip()
        name, _, expected = value.partition("=")
        if value and (not name.replace("-", "").isalnum() or not expected):
            raise ValueError("must be Header-Name=value (e.g. X-Forwarded-Proto=https), or empty")
        return value

    @field_validator("PEOPLE_CLIENT_IP_HEADER")
    @classmethod
    def _ip_header(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not value.replace("-", "").isalnum():
            raise ValueError("must be a header name such as X-Forwarded-For or X-Real-IP")
        return value or None


def meta_key(header: str) -> str:
    """The `request.META` key under which Django exposes an HTTP header."""
    return "HTTP_" + header.upper().replace("-", "_")


SECURITY_ENV: SecurityEnv = load(SecurityEnv)
_PRODUCTION = not SECURITY_ENV.DJANGO_DEBUG

# --- HTTPS
SECURE_HSTS_SECONDS = (
    SECURITY_ENV.DJANGO_SECURE_HSTS_SECONDS
    if SECURITY_ENV.DJANGO_SECURE_HSTS_SECONDS is not None
    else (31_536_000 if _PRODUCTION else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURITY_ENV.DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS
SECURE_HSTS_PRELOAD = SECURITY_ENV.DJANGO_SECURE_HSTS_PRELOAD
SECURE_SSL_REDIRECT = (
    SECURITY_ENV.DJANGO_SECURE_SSL_REDIRECT if SECURITY_ENV.DJANGO_SECURE_SSL_REDIRECT is not None else _PRODUCTION
)
# Load balancers and the metrics scraper probe over plain HTTP inside the platform.
SECURE_REDIRECT_EXEMPT = [r"^__heartbeat__$", r"^__lbheartbeat__$", r"^__metrics__$"]
if SECURITY_ENV.DJANGO_SECURE_PROXY_SSL_HEADER:
    _name, _, _value = SECURITY_ENV.DJANGO_SECURE_PROXY_SSL_HEADER.partition("=")
    SECURE_PROXY_SSL_HEADER = (meta_key(_name), _value)
else:
    SECURE_PROXY_SSL_HEADER = None

# --- Content-Security-Policy (django-csp) on every answer. Pages load nothing from elsewhere:
# the Swagger UI's assets are served by us (drf-spectacular-sidecar); inline <style> blocks of
# our templates carry the request's nonce. No form-action: signing out is a form whose answer
# redirects to the provider's end-session page, which form-action would block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# --- API documentation
API_DOCS = SECURITY_ENV.PEOPLE_API_DOCS if SECURITY_ENV.PEOPLE_API_DOCS is not None else not _PRODUCTION

# --- Lockout of repeated password failures (django-axes, database handler)
AXES_FAILURE_LIMIT = SECURITY_ENV.AXES_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=SECURITY_ENV.AXES_COOLOFF_SECONDS)
AXES_LOCKOUT_PARAMETERS = [
    item.split("+") if "+" in item else item for item in SECURITY_ENV.AXES_LOCKOUT_PARAMETERS
]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "people.identity.lockout.client_username"
AXES_CLIENT_IP_CALLABLE = "people.identity.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "people.identity.lockout.lockout_response"
# A row per successful sign-in would grow without bound: axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
CLIENT_IP_HEADER = meta_key(SECURITY_ENV.PEOPLE_CLIENT_IP_HEADER) if SECURITY_ENV.PEOPLE_CLIENT_IP_HEADER else None
CLIENT_IP_PROXIES = SECURITY_ENV.PEOPLE_CLIENT_IP_PROXIES
