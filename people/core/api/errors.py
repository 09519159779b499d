"""One mapping from errors to HTTP responses for every DRF view of People."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from people.core.errors import ConcurrentChange, DomainError
from people.core.services import validation_failed

logger = logging.getLogger("people.api")


def domain_error_body(error: DomainError) -> dict:
    """The one body of a refused request.

    Input messages per field (a `ValidationFailed` with `errors` and no rule `code`) are the
    field map the suite's clients read, `{"field": ["..."]}` (`__all__` for the input as a
    whole), as a serializer's errors are; any other refusal is `{"detail", "code"}`, with
    `errors` when the rule concerns fields.
    """
    if error.is_field_error:
        return dict(error.errors)
    body: dict = {"detail": error.detail, "code": error.code}
    if error.errors:
        body["errors"] = error.errors
    return body


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):  # a model's validation reached outside a service
        exc = validation_failed(exc)
    if isinstance(exc, IntegrityError):
        # A concurrent request won a race that validation checked for: report it, never a 500.
        logger.warning("integrity error turned into a 409", exc_info=True)
        exc = ConcurrentChange()
    if isinstance(exc, DomainError):
        return Response(domain_error_body(exc), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"The request body is larger than {limit} bytes: send less data per request.", "code": "request_too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return Response(
            {"detail": f"The request has more than {limit} fields.", "code": "too_many_fields"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.status_code = status.HTTP_401_UNAUTHORIZED
        # A refusal may name its own challenge (RFC 6750 §3: `Bearer error="invalid_token"`),
        # which then replaces the view's plain one.
        challenge = getattr(exc, "challenge", None)
        if challenge:
            response.headers["WWW-Authenticate"] = challenge
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return response
