"""Teams and invitations opened to the suite's services (bearer tokens).

Same selectors and services as the client API; the calling service (`self.service_provider`)
narrows what is visible: teams linked to it or visible to all services, and for invitations only
teams linked to it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from people.core.api.queries import OrderingQuerySerializer, list_params
from people.resource_server.mixins import AccountServiceViewMixin, ResourceServerViewMixin
from people.resource_server.models import AccountServiceScope
from people.teams import selectors, services
from people.teams.api.resource_server import serializers as s
from people.teams.api.views import (
    ID,
    TEAM_ID,
    InvitationViewSetBase,
    TeamViewSetBase,
    invitation_schemas,
)
from people.teams.models import TeamAccess

TEAM_ORDERING = ("created_at", "name")


@extend_schema_view(
    retrieve=extend_schema(parameters=[ID]),
    create=extend_schema(
        request=s.ServiceTeamCreateSerializer, responses={201: s.ServiceTeamSerializer}
    ),
    update=extend_schema(
        parameters=[ID],
        request=s.ServiceTeamWriteSerializer,
        responses={200: s.ServiceTeamSerializer},
    ),
    partial_update=extend_schema(
        parameters=[ID],
        request=s.ServiceTeamWriteSerializer,
        responses={200: s.ServiceTeamSerializer},
    ),
)
class TeamViewSet(ResourceServerViewMixin, TeamViewSetBase):
    """The user's teams shared with the calling service. No delete through this API."""

    serializer_class = s.ServiceTeamSerializer
    team_create_serializer_class = s.ServiceTeamCreateSerializer
    team_write_serializer_class = s.ServiceTeamWriteSerializer

    def team_scope(self) -> dict[str, Any]:
        return {"service_provider": self.service_provider}

    def team_create_kwargs(self) -> dict[str, Any]:
        return {"calling_service": self.service_provider}

    def get_queryset(self):
        return selectors.team_list_visible_to(user=self.request.user, **self.team_scope())

    def list(self, request):
        params = list_params(request, OrderingQuerySerializer)
        queryset = selectors.team_order(self.get_queryset(), params.get("ordering"), allowed=TEAM_ORDERING)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.ServiceTeamSerializer(page, many=True).data)


@extend_schema_view(**invitation_schemas())
class InvitationViewSet(ResourceServerViewMixin, InvitationViewSetBase):
    """Invitations to the user's teams linked to the calling service (not merely visible to all)."""

    schema_error_statuses = {"create": {409}}  # see the client API's InvitationViewSet

    def team_scope(self) -> dict[str, Any]:
        return {"service_provider": self.service_provider, "linked_only": True}


class ServiceTeamAccessView(AccountServiceViewMixin, APIView):
    """POST teams/{team_id}/accesses/ with an API key: add a user, or invite an unknown e-mail.

    The user is matched like at sign-in (sub, then e-mail) and never created: an unknown
    address gets an invitation, turned into an access when that person first signs in.
    """

    required_scope = AccountServiceScope.TEAM_ACCESSES_CREATE
    schema_error_statuses = {"post": {409}}  # see the client API's InvitationViewSet

    @extend_schema(
        parameters=[TEAM_ID],
        request=s.ServiceAccessCreateSerializer,
        responses={
            201: PolymorphicProxySerializer(
                component_name="ServiceAccessResult",
                serializers={
                    "access": s.ServiceAccessSerializer,
                    "invitation": s.ServiceInvitationSerializer,
                },
                resource_type_field_name="kind",
            )
        },
    )
    def post(self, request, team_id=None):
        team = selectors.team_get_for_trusted_service(
            team_id=team_id, service_provider=request.auth.service_provider
        )
        serializer = s.ServiceAccessCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.team_member_add_or_invite(team=team, **serializer.validated_data)
        if isinstance(result, TeamAccess):
            body = s.ServiceAccessSerializer(result).data
        else:
            body = s.ServiceInvitationSerializer(result).data
        return Response(body, status=status.HTTP_201_CREATED)
