"""Reading the identity claims of a sign-in: essential claims, full name, organization keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from people.identity.models import normalize_email

MAX_SUB = 255
MAX_NAME = 255
MAX_SHORT_NAME = 100


def text(value: Any) -> str:
    """A claim as stripped text; anything that is not a string or a number counts as absent."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | str):
        return " ".join(str(value).split())
    return ""


def missing_essential_claims(claims: dict[str, Any]) -> list[str]:
    """Essential claims (`OIDC_USERINFO_ESSENTIAL_CLAIMS`) absent or empty; `sub` always is."""
    essential = ["sub", *[name for name in settings.OIDC_USERINFO_ESSENTIAL_CLAIMS if name != "sub"]]
    missing = [name for name in essential if not text(claims.get(name))]
    if "email" in essential and "email" not in missing and email_from(claims) is None:
        missing.append("email")  # present but not an e-mail address
    if len(text(claims.get("sub"))) > MAX_SUB:
        missing.append("sub")  # longer than any subject we can store
    return missing


def email_from(claims: dict[str, Any]) -> str | None:
    value = text(claims.get("email"))
    if not value or len(value) > 254:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return None
    return normalize_email(value)


def full_name_from(claims: dict[str, Any]) -> str:
    """`OIDC_USERINFO_FULLNAME_FIELDS` joined by spaces, skipping empty ones; else the e-mail's
    local part; else ""."""
    parts = [text(claims.get(name)) for name in settings.OIDC_USERINFO_FULLNAME_FIELDS]
    name = " ".join(part for part in parts if part)
    if not name:
        email = email_from(claims)
        name = email.split("@", 1)[0] if email else ""
    return name[:MAX_NAME]


def short_name_from(claims: dict[str, Any]) -> str:
    field = settings.OIDC_USERINFO_SHORTNAME_FIELD
    return text(claims.get(field))[:MAX_SHORT_NAME] if field else ""


def registration_id_from(claims: dict[str, Any]) -> str | None:
    field = settings.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD
    return (text(claims.get(field)) or None) if field else None
