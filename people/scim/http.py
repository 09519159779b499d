"""SCIM answers: `application/scim+json` bodies, and every error in the SCIM error envelope."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from scim2_models import Error, SCIMException

SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def scim_response(body: dict[str, Any] | None, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False) if body is not None else b"",
        status=status,
        content_type=SCIM_MEDIA_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status: int, detail: str, scim_type: str | None = None, *, headers: dict[str, str] | None = None) -> HttpResponse:
    error = Error(status=status, scim_type=scim_type, detail=detail)
    return scim_response(error.model_dump(), status=status, headers=headers)


def exception_response(exc: SCIMException) -> HttpResponse:
    error = exc.to_error()
    return scim_response(error.model_dump(), status=int(error.status or exc.status))
