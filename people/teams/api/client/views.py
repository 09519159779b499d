"""Client API views of teams, accesses and invitations: parse, call a selector or service, shape.

Rules live in `people.teams.policies` and `people.teams.services`; reads come from
`people.teams.selectors`, already limited to what the caller may see.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from people.core.api.pagination import ArrayUnlessPagedPagination
from people.core.api.queries import SearchQuerySerializer, search_query
from people.core.errors import NotFound, PermissionDenied
from people.teams import policies, selectors, services
from people.teams.api.client import serializers as s
from people.teams.models import Invitation, Team, TeamAccess

TEAM_ORDERING = ("created_at", "name", "path")

PAGE_SIZE_PARAM = OpenApiParameter(
    "page_size", {"type": "integer", "minimum": 1}, description="Rows per page (default 20, at most 100)"
)
TEAM_ID = OpenApiParameter("team_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def _ordering_param(fields: tuple[str, ...], default: str) -> OpenApiParameter:
    return OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description=f"Comma-separated fields among {', '.join(fields)} (prefix `-` to reverse); default `{default}`",
    )


def _query(request, name: str) -> str:
    """A query parameter matched against known names only (never sent to the database as is)."""
    return (request.query_params.get(name) or "")[:200]


def _search(request) -> str:
    """`q` under the lists' one search rule (length, no NUL character: 400 on `q`)."""
    return search_query(request.query_params.get("q") or "")


@extend_schema_view(
    list=extend_schema(parameters=[SearchQuerySerializer, PAGE_SIZE_PARAM, _ordering_param(TEAM_ORDERING, "-created_at")]),
    retrieve=extend_schema(parameters=[ID]),
    create=extend_schema(request=s.TeamCreateSerializer, responses={201: s.TeamSerializer}),
    update=extend_schema(parameters=[ID], request=s.TeamWriteSerializer, responses={200: s.TeamSerializer}),
    partial_update=extend_schema(parameters=[ID], request=s.TeamWriteSerializer, responses={200: s.TeamSerializer}),
    destroy=extend_schema(parameters=[ID], responses={204: None}),
)
class TeamViewSet(viewsets.GenericViewSet):
    """Teams the caller belongs to, and the ancestors of those in the caller's organization.

    The list is a plain array unless `page` or `page_size` asks for the paginated envelope.
    """

    queryset = Team.objects.none()
    serializer_class = s.TeamSerializer
    pagination_class = ArrayUnlessPagedPagination

    def get_queryset(self):
        return selectors.team_list_visible_to(user=self.request.user)

    def _get(self, team_id: Any) -> Team:
        return selectors.team_get_visible_to(user=self.request.user, team_id=team_id)

    def list(self, request):
        queryset = selectors.team_search(self.get_queryset(), _search(request))
        queryset = selectors.apply_ordering(
            queryset, _query(request, "ordering"), allowed=TEAM_ORDERING, default=["-created_at"]
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.TeamSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.TeamSerializer(self._get(pk)).data)

    def create(self, request):
        if not policies.user_team_abilities(user=request.user)["can_create"]:
            raise PermissionDenied("You are not allowed to create teams.")
        serializer = s.TeamCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent_id = data.pop("parent", None)
        parent = None
        if parent_id is not None:
            try:
                parent = self._get(parent_id)
            except NotFound as error:
                raise serializers.ValidationError({"parent": ["No team you can see has this id."]}) from error
        team = services.team_create(actor=request.user, parent=parent, **data)
        return Response(s.TeamSerializer(self._get(team.pk)).data, status=status.HTTP_201_CREATED)

    def _update(self, request, pk, *, partial: bool):
        team = self._get(pk)
        serializer = s.TeamWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.team_update(actor=request.user, team=team, **serializer.validated_data)
        return Response(s.TeamSerializer(self._get(team.pk)).data)

    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)

    def destroy(self, request, pk=None):
        services.team_delete(actor=request.user, team=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _TeamNestedViewSet(viewsets.GenericViewSet):
    """Routes under `teams/{team_id}/`: the team must be visible to the caller, else 404."""

    def team(self) -> Team:
        if not hasattr(self, "_team"):
            self._team = selectors.team_get_visible_to(
                user=self.request.user, team_id=self.kwargs.get("team_id"), with_related=False
            )
        return self._team

    def access_context(self, team: Team, *, fresh: bool = False) -> dict[str, Any]:
        """What access abilities depend on; after a write (`fresh`) the caller's role is re-read."""
        actor_role = selectors.role_of(user=self.request.user, team=team, fresh=fresh)
        return {
            "actor_role": actor_role,
            "owner_count": selectors.owner_count(team=team) if actor_role else 0,
            "actor_id": self.request.user.pk,
        }


@extend_schema_view(
    list=extend_schema(
        parameters=[TEAM_ID, SearchQuerySerializer, PAGE_SIZE_PARAM, _ordering_param(selectors.ACCESS_ORDERING, "role")]
    ),
    retrieve=extend_schema(parameters=[TEAM_ID, ID]),
    create=extend_schema(parameters=[TEAM_ID], request=s.TeamAccessCreateSerializer, responses={201: s.TeamAccessSerializer}),
    update=extend_schema(parameters=[TEAM_ID, ID], request=s.TeamAccessUpdateSerializer, responses={200: s.TeamAccessSerializer}),
    partial_update=extend_schema(
        parameters=[TEAM_ID, ID], request=s.TeamAccessUpdateSerializer, responses={200: s.TeamAccessSerializer}
    ),
    destroy=extend_schema(parameters=[TEAM_ID, ID], responses={204: None}),
)
class TeamAccessViewSet(_TeamNestedViewSet):
    """Members of a team and their roles; each row says what the caller may change."""

    queryset = TeamAccess.objects.none()
    serializer_class = s.TeamAccessSerializer
    # The last owner cannot leave; a user's first sign-in may accept an invitation to the same team.
    schema_error_statuses = {"destroy": {400}, "create": {409}}

    def get_queryset(self):
        return selectors.access_list_for(user=self.request.user, team=self.team())

    def _access(self, pk: Any) -> TeamAccess:
        return selectors.access_get_for(user=self.request.user, team=self.team(), access_id=pk)

    def list(self, request, team_id=None):
        team = self.team()
        queryset = selectors.access_search(self.get_queryset(), _search(request))
        queryset = selectors.access_order(queryset, _query(request, "ordering"))
        page = self.paginate_queryset(queryset)
        serializer = s.TeamAccessSerializer(page, many=True, context=self.access_context(team))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, team_id=None, pk=None):
        access = self._access(pk)
        return Response(s.TeamAccessSerializer(access, context=self.access_context(self.team())).data)

    def create(self, request, team_id=None):
        team = self.team()
        serializer = s.TeamAccessCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = services.team_access_create(
            actor=request.user, team=team, user=serializer.validated_data["user"], role=serializer.validated_data["role"]
        )
        data = s.TeamAccessSerializer(access, context=self.access_context(team, fresh=True)).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _update(self, request, pk, *, partial: bool):
        access = self._access(pk)
        serializer = s.TeamAccessUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data.get("role", access.role)
        access = services.team_access_update(actor=request.user, access=access, role=role)
        return Response(s.TeamAccessSerializer(access, context=self.access_context(self.team(), fresh=True)).data)

    def update(self, request, team_id=None, pk=None):
        return self._update(request, pk, partial=False)

    def partial_update(self, request, team_id=None, pk=None):
        return self._update(request, pk, partial=True)

    def destroy(self, request, team_id=None, pk=None):
        services.team_access_delete(actor=request.user, access=self._access(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


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


@extend_schema_view(
    list=extend_schema(parameters=[TEAM_ID, PAGE_SIZE_PARAM]),
    retrieve=extend_schema(parameters=[TEAM_ID, ID]),
    create=extend_schema(parameters=[TEAM_ID], request=s.InvitationCreateSerializer, responses={201: INVITATION_OR_ACCESS}),
    destroy=extend_schema(parameters=[TEAM_ID, ID], responses={204: None}),
    refresh=extend_schema(
        parameters=[TEAM_ID, ID], request=None, responses={200: s.InvitationSerializer, 201: ACCESS_INSTEAD}
    ),
)
class InvitationViewSet(_TeamNestedViewSet):
    """Pending invitations of e-mail addresses to a team, newest first."""

    queryset = Invitation.objects.none()
    serializer_class = s.InvitationSerializer
    # Both may create an access, which a user's first sign-in may create concurrently.
    schema_error_statuses = {"create": {409}, "refresh": {409}}

    def get_queryset(self):
        return selectors.invitation_list_for(user=self.request.user, team=self.team())

    def _invitation(self, pk: Any) -> Invitation:
        return selectors.invitation_get_for(user=self.request.user, team=self.team(), invitation_id=pk)

    def _created(self, result: Invitation | TeamAccess) -> Response:
        if isinstance(result, TeamAccess):
            context = {**self.access_context(self.team(), fresh=True), "detail": services.EMAIL_KNOWN}
            return Response(s.TeamAccessCreatedSerializer(result, context=context).data, status=status.HTTP_201_CREATED)
        return None

    def list(self, request, team_id=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.InvitationSerializer(page, many=True).data)

    def retrieve(self, request, team_id=None, pk=None):
        return Response(s.InvitationSerializer(self._invitation(pk)).data)

    def create(self, request, team_id=None):
        team = self.team()
        serializer = s.InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.invitation_create(actor=request.user, team=team, **serializer.validated_data)
        return self._created(result) or Response(s.InvitationSerializer(result).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, team_id=None, pk=None):
        services.invitation_delete(actor=request.user, invitation=self._invitation(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def refresh(self, request, team_id=None, pk=None):
        """Extend the invitation's validity and send the e-mail again."""
        result = services.invitation_refresh(actor=request.user, invitation=self._invitation(pk))
        return self._created(result) or Response(s.InvitationSerializer(result).data)
