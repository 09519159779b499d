"""The team API's core, the same for every audience: team lookup, the context access
abilities depend on, and the invitation routes with their "invitation, or the access at once"
answer.

Each audience subclasses these with its authentication and its scoping (`team_scope`): the
client API sees the caller's teams; the resource server only those shared with the calling
service. Rules stay in `people.teams.services` and `people.teams.policies`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from people.core.api.mixins import ServiceUpdateMixin
from people.teams import selectors, services
from people.teams.api import serializers as s
from people.teams.models import Invitation, Team, TeamAccess

TEAM_ID = OpenApiParameter("team_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)

INVITATION_OR_ACCESS = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="InvitationOrAccess",
        serializers=[s.InvitationSerializer, s.TeamAccessCreatedSerializer],
        resource_type_field_name=None,
    ),
    description="The invitation; or, when the e-mail already belongs to a user, the access created "
    "at once instead, with a `detail` saying so.",
)
ACCESS_INSTEAD = OpenApiResponse(
    s.TeamAccessCreatedSerializer,
    description="The e-mail now belongs to a user: the access created instead, with a `detail` saying so.",
)


def invitation_schemas(*, list_parameters: tuple[OpenApiParameter, ...] = ()) -> dict[str, Any]:
    """The invitation routes' schema (for `extend_schema_view`), the same for every audience but
    for what its list's pagination takes."""
    return {
        "list": extend_schema(parameters=[TEAM_ID, *list_parameters]),
        "retrieve": extend_schema(parameters=[TEAM_ID, ID]),
        "create": extend_schema(
            parameters=[TEAM_ID],
            request=s.InvitationCreateSerializer,
            responses={201: INVITATION_OR_ACCESS},
        ),
        "destroy": extend_schema(parameters=[TEAM_ID, ID], responses={204: None}),
    }


def access_context(*, user: Any, team: Team, fresh: bool = False) -> dict[str, Any]:
    """What access abilities depend on, computed once per request; after a write (`fresh`) the
    caller's role is read again."""
    actor_role = selectors.role_of(user=user, team=team, fresh=fresh)
    return {
        "actor_role": actor_role,
        "owner_count": selectors.owner_count(team=team, fresh=fresh) if actor_role else 0,
        "actor_id": user.pk,
    }


class TeamScopedViewSet(viewsets.GenericViewSet):
    """Teams looked up within the audience's scope; routes under `teams/{team_id}/` need that
    team visible, else 404."""

    # The team's related ids (accesses, providers) are prefetched only where the shape shows them.
    team_with_related = False

    def team_scope(self) -> dict[str, Any]:
        """Per audience: what narrows the caller's teams (`team_get_visible_to` arguments)."""
        return {}

    def get_team(self, team_id: Any, *, with_related: bool | None = None, with_counts: bool = True) -> Team:
        related = self.team_with_related if with_related is None else with_related
        return selectors.team_get_visible_to(
            user=self.request.user, team_id=team_id, with_related=related, with_counts=with_counts, **self.team_scope()
        )

    def team(self) -> Team:
        """The team of a nested route, read once per request, with the caller's role and the
        owner count (what the abilities of its accesses read)."""
        if not hasattr(self, "_team"):
            self._team = self.get_team(self.kwargs.get("team_id"), with_related=False, with_counts=False)
        return self._team

    def access_context(self, team: Team, *, fresh: bool = False) -> dict[str, Any]:
        return access_context(user=self.request.user, team=team, fresh=fresh)


class TeamViewSetBase(ServiceUpdateMixin, TeamScopedViewSet):
    """Read, create and change a team; each audience names its shapes and its list.

    The answer to a write is the team read again through the audience's scope, so that it
    shows what a later read would show.
    """

    queryset = Team.objects.none()
    team_create_serializer_class: type[serializers.Serializer]
    team_write_serializer_class: type[serializers.Serializer]

    def team_create_kwargs(self) -> dict[str, Any]:
        """Per audience: what `team_create` needs beyond the body (the calling service)."""
        return {}

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_team(pk)).data)

    def create(self, request):
        serializer = self.team_create_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = services.team_create(
            actor=request.user, **self.team_create_kwargs(), **serializer.validated_data
        )
        return Response(
            self.get_serializer(self.get_team(team.pk)).data, status=status.HTTP_201_CREATED
        )

    def perform_service_update(self, request, *, partial: bool, pk=None):
        team = self.get_team(pk)
        serializer = self.team_write_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.team_update(actor=request.user, team=team, **serializer.validated_data)
        return Response(self.get_serializer(self.get_team(team.pk)).data)


class InvitationViewSetBase(TeamScopedViewSet):
    """Pending invitations of e-mail addresses to a team, newest first."""

    queryset = Invitation.objects.none()
    serializer_class = s.InvitationSerializer

    def get_queryset(self):
        return selectors.invitation_list_for(user=self.request.user, team=self.team())

    def _invitation(self, pk: Any) -> Invitation:
        return selectors.invitation_get_for(
            user=self.request.user, team=self.team(), invitation_id=pk
        )

    def invitation_or_access(
        self, result: Invitation | TeamAccess, *, invitation_status: int
    ) -> Response:
        """An address that belongs to a user gets the access at once: the answer says so (201,
        the access and a `detail`); otherwise it is the invitation."""
        if isinstance(result, TeamAccess):
            context = {
                **self.access_context(self.team(), fresh=True),
                "detail": gettext(services.EMAIL_KNOWN),
            }
            data = s.TeamAccessCreatedSerializer(result, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        return Response(s.InvitationSerializer(result).data, status=invitation_status)

    def list(self, request, team_id=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.InvitationSerializer(page, many=True).data)

    def retrieve(self, request, team_id=None, pk=None):
        return Response(s.InvitationSerializer(self._invitation(pk)).data)

    def create(self, request, team_id=None):
        team = self.team()
        serializer = s.InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.invitation_create(
            actor=request.user, team=team, **serializer.validated_data
        )
        return self.invitation_or_access(result, invitation_status=status.HTTP_201_CREATED)

    def destroy(self, request, team_id=None, pk=None):
        services.invitation_delete(actor=request.user, invitation=self._invitation(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
