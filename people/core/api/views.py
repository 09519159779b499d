"""Endpoints that belong to no app: the frontend's configuration."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from people.core.features import features


class ConfigView(APIView):
    """What the frontend needs before sign-in: languages (labels in the request's language),
    feature flags (a flag is on only when its feature is served), release and support widget ids.
    Public, no secret in it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="config")
    def get(self, request):
        return Response(
            {
                "LANGUAGES": [[code, gettext(label)] for code, label in settings.LANGUAGES],
                "FEATURES": features(),
                "RELEASE": str(settings.RELEASE),
                "COMMIT": str(settings.COMMIT),
                "CRISP_WEBSITE_ID": settings.CRISP_WEBSITE_ID or None,
            }
        )
