"""Client API views of teams, accesses and invitations: parse, call a selector or service, shape.

Rules live in `people.teams.policies` and `people.teams.services`; reads come from
`people.teams.selectors`, already limited to what the caller may see.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from people.core.api.mixins import ServiceUpdateMixin
from people.core.api.pagination import ArrayUnlessPagedPagination
from people.core.api.queries import (
    PAGE_SIZE_PARAMETER,
    SearchOrderingQuerySerializer,
    SearchQuerySerializer,
    list_params,
    ordering_parameter,
)
from people.teams import selectors, services
from people.teams.api import serializers as shared
from people.teams.api.client import serializers as s
from people.teams.api.views import (
    ACCESS_INSTEAD,
    ID,
    TEAM_ID,
    InvitationViewSetBase,
    TeamScopedViewSet,
    TeamViewSetBase,
    invitation_schemas,
)
from people.teams.models import TeamAccess, TeamWebhook


@extend_schema_view(
    list=extend_schema(
        parameters=[
            SearchQuerySerializer,
            PAGE_SIZE_PARAMETER,
            ordering_parameter(selectors.TEAM_ORDERING, "-created_at"),
        ]
    ),
    retrieve=extend_schema(parameters=[ID]),
    create=extend_schema(request=s.TeamCreateSerializer, responses={201: s.TeamSerializer}),
    update=extend_schema(
        parameters=[ID], request=s.TeamWriteSerializer, responses={200: s.TeamSerializer}
    ),
    partial_update=extend_schema(
        parameters=[ID], request=s.TeamWriteSerializer, responses={200: s.TeamSerializer}
    ),
    destroy=extend_schema(parameters=[ID], responses={204: None}),
)
class TeamViewSet(TeamViewSetBase):
    """Teams the caller belongs to, and the ancestors of those in the caller's organization.

    The list is a plain array unless `page` or `page_size` asks for the paginated envelope.
    """

    serializer_class = s.TeamSerializer
    team_create_serializer_class = s.TeamCreateSerializer
    team_write_serializer_class = s.TeamWriteSerializer
    pagination_class = ArrayUnlessPagedPagination
    team_with_related = True

    def get_queryset(self):
        return selectors.with_related_ids(selectors.team_list_visible_to(user=self.request.user))

    def list(self, request):
        params = list_params(request, SearchOrderingQuerySerializer)
        queryset = selectors.team_search(self.get_queryset(), params.get("q"))
        queryset = selectors.team_order(queryset, params.get("ordering"))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.TeamSerializer(page, many=True).data)

    def destroy(self, request, pk=None):
        services.team_delete(actor=request.user, team=self.get_team(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            TEAM_ID,
            SearchQuerySerializer,
            PAGE_SIZE_PARAMETER,
            ordering_parameter(selectors.ACCESS_ORDERING, "role"),
        ]
    ),
    retrieve=extend_schema(parameters=[TEAM_ID, ID]),
    create=extend_schema(
        parameters=[TEAM_ID],
        request=s.TeamAccessCreateSerializer,
        responses={201: shared.TeamAccessSerializer},
    ),
    update=extend_schema(
        parameters=[TEAM_ID, ID],
        request=s.TeamAccessUpdateSerializer,
        responses={200: shared.TeamAccessSerializer},
    ),
    partial_update=extend_schema(
        parameters=[TEAM_ID, ID],
        request=s.TeamAccessUpdateSerializer,
        responses={200: shared.TeamAccessSerializer},
    ),
    destroy=extend_schema(parameters=[TEAM_ID, ID], responses={204: None}),
)
class TeamAccessViewSet(ServiceUpdateMixin, TeamScopedViewSet):
    """Members of a team and their roles; each row says what the caller may change."""

    queryset = TeamAccess.objects.none()
    serializer_class = shared.TeamAccessSerializer
    # The last owner cannot leave; a user's first sign-in may accept an invitation to the same team.
    schema_error_statuses = {"destroy": {400}, "create": {409}}

    def get_queryset(self):
        return selectors.access_list_for(user=self.request.user, team=self.team())

    def _access(self, pk: Any) -> TeamAccess:
        return selectors.access_get_for(user=self.request.user, team=self.team(), access_id=pk)

    def list(self, request, team_id=None):
        team = self.team()
        params = list_params(request, SearchOrderingQuerySerializer)
        queryset = selectors.access_search(self.get_queryset(), params.get("q"))
        queryset = selectors.access_order(queryset, params.get("ordering"))
        if not params.get("q") and team.user_role is not None:
            self.list_count = team.member_count  # read with the team: all its accesses are listed
        page = self.paginate_queryset(queryset)
        serializer = shared.TeamAccessSerializer(page, many=True, context=self.access_context(team))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, team_id=None, pk=None):
        access = self._access(pk)
        return Response(
            shared.TeamAccessSerializer(access, context=self.access_context(self.team())).data
        )

    def create(self, request, team_id=None):
        team = self.team()
        serializer = s.TeamAccessCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = services.team_access_create(
            actor=request.user,
            team=team,
            user=serializer.validated_data["user"],
            role=serializer.validated_data["role"],
        )
        data = shared.TeamAccessSerializer(
            access, context=self.access_context(team, fresh=True)
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_service_update(self, request, *, partial: bool, team_id=None, pk=None):
        access = self._access(pk)
        serializer = s.TeamAccessUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data.get("role", access.role)
        access = services.team_access_update(actor=request.user, access=access, role=role)
        return Response(
            shared.TeamAccessSerializer(
                access, context=self.access_context(self.team(), fresh=True)
            ).data
        )

    def destroy(self, request, team_id=None, pk=None):
        services.team_access_delete(actor=request.user, access=self._access(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    **invitation_schemas(list_parameters=(PAGE_SIZE_PARAMETER,)),
    refresh=extend_schema(
        parameters=[TEAM_ID, ID],
        request=None,
        responses={200: shared.InvitationSerializer, 201: ACCESS_INSTEAD},
    ),
)
class InvitationViewSet(InvitationViewSetBase):
    """Pending invitations of e-mail addresses to a team, newest first."""

    # Both may create an access, which a user's first sign-in may create concurrently.
    schema_error_statuses = {"create": {409}, "refresh": {409}}

    @action(detail=True, methods=["post"])
    def refresh(self, request, team_id=None, pk=None):
        """Extend the invitation's validity and send the e-mail again."""
        result = services.invitation_refresh(actor=request.user, invitation=self._invitation(pk))
        return self.invitation_or_access(result, invitation_status=status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(parameters=[TEAM_ID, PAGE_SIZE_PARAMETER]),
    retrieve=extend_schema(parameters=[TEAM_ID, ID]),
    create=extend_schema(
        parameters=[TEAM_ID], request=s.TeamWebhookCreateSerializer, responses={201: s.TeamWebhookSerializer}
    ),
    destroy=extend_schema(parameters=[TEAM_ID, ID], responses={204: None}),
    retry=extend_schema(parameters=[TEAM_ID, ID], request=None, responses={200: s.TeamWebhookSerializer}),
)
class TeamWebhookViewSet(TeamScopedViewSet):
    """Services told of the team's changes (SCIM), with where their deliveries stand; for the
    team's owners and administrators."""

    queryset = TeamWebhook.objects.none()
    serializer_class = s.TeamWebhookSerializer

    def get_queryset(self):
        return selectors.webhook_list_for(user=self.request.user, team=self.team())

    def _webhook(self, pk: Any) -> TeamWebhook:
        return selectors.webhook_get_for(user=self.request.user, team=self.team(), webhook_id=pk)

    def list(self, request, team_id=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.TeamWebhookSerializer(page, many=True).data)

    def retrieve(self, request, team_id=None, pk=None):
        return Response(s.TeamWebhookSerializer(self._webhook(pk)).data)

    def create(self, request, team_id=None):
        team = self.team()
        serializer = s.TeamWebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = services.webhook_create(actor=request.user, team=team, **serializer.validated_data)
        webhook.refresh_from_db()
        return Response(s.TeamWebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, team_id=None, pk=None):
        services.webhook_delete(actor=request.user, webhook=self._webhook(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def retry(self, request, team_id=None, pk=None):
        """Retry now: changes waiting in backoff are sent at once, then the group is put in full
        at the service (which repairs changes it refused)."""
        webhook = services.webhook_retry(actor=request.user, webhook=self._webhook(pk))
        return Response(s.TeamWebhookSerializer(webhook).data)
