"""`scim/Me`: the calling user as a SCIM 2.0 User resource (RFC 7643), with their teams as groups.

Errors on this path use the SCIM error envelope and media type, whatever went wrong (401, 405...).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from people.identity.models import User
from people.resource_server.mixins import ResourceServerViewMixin
from people.scim.http import ERROR_SCHEMA, SCIM_MEDIA_TYPE
from people.scim.wire import USER_SCHEMA
from people.teams import selectors as team_selectors


class ScimRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE
    format = "scim"


class AlwaysScim(BaseContentNegotiation):
    """SCIM clients send `Accept: application/scim+json` or `application/json`: answer SCIM to both."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _timestamp(value) -> str:
    return value.isoformat()


def scim_user(user: User, groups: list[dict[str, Any]], location: str) -> dict[str, Any]:
    return {
        "schemas": [USER_SCHEMA],
        "id": str(user.pk),
        "active": user.is_active,
        "userName": user.sub or str(user.pk),
        "displayName": user.name or None,
        "emails": [{"value": user.email, "primary": True, "type": "work"}] if user.email else [],
        "groups": groups,
        "meta": {
            "resourceType": "User",
            "created": _timestamp(user.created_at),
            "lastModified": _timestamp(user.updated_at),
            "location": location,
        },
    }


SCIM_ERROR = {
    "type": "object",
    "description": "The SCIM error envelope (RFC 7644 §3.12).",
    "properties": {
        "schemas": {"type": "array", "items": {"type": "string"}, "example": [ERROR_SCHEMA]},
        "status": {"type": "string"},
        "detail": {"type": "string"},
    },
    "required": ["schemas", "status", "detail"],
}


class ScimMeView(ResourceServerViewMixin, APIView):
    renderer_classes = [ScimRenderer]
    content_negotiation_class = AlwaysScim
    schema_error_body = ("ScimError", SCIM_ERROR, SCIM_MEDIA_TYPE)

    @extend_schema(responses={(200, SCIM_MEDIA_TYPE): OpenApiTypes.OBJECT})
    def get(self, request):
        teams = (
            team_selectors.team_list_visible_to(user=request.user, service_provider=self.service_provider)
            .filter(user_role__isnull=False)
            .order_by("name", "pk")
            .only("external_id", "name")
        )
        groups = [{"value": str(team.external_id), "display": team.name, "type": "direct"} for team in teams]
        return Response(scim_user(request.user, groups, request.build_absolute_uri()))

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        data = response.data if isinstance(response.data, dict) else {}
        detail = str(data.get("detail", "")) if data else ""
        response.data = {"schemas": [ERROR_SCHEMA], "status": str(response.status_code), "detail": detail}
        response["Content-Type"] = SCIM_MEDIA_TYPE
        return response


@extend_schema_view(get=extend_schema(exclude=True))
class ScimMeWithoutSlashView(ScimMeView):
    """SCIM clients address `/Me` without a trailing slash: same view, described once."""
