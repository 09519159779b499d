"""Viewset pieces shared by every app's API."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response


class ServiceUpdateMixin:
    """PUT and PATCH differ only in whether the body must hold every field: both run
    `perform_service_update`, which validates the body, calls the service and shapes the answer,
    so the two methods cannot drift apart."""

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.perform_service_update(request, partial=False, **kwargs)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.perform_service_update(request, partial=True, **kwargs)

    def perform_service_update(self, request: Request, *, partial: bool, **kwargs: Any) -> Response:
        raise NotImplementedError
