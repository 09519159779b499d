"""Teams and invitations opened to the suite's services (bearer tokens).

Same selectors and services as the client API; the calling service (`self.service_provider`)
narrows what is visible: teams linked to it or visible to all services, and for invitations only
teams linked to it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from people.core.errors import PermissionDenied, ValidationFailed
from people.identity.auth.errors import AmbiguousEmail
from people.identity.auth.matching import user_match
from people.resource_server.mixins import AccountServiceViewMixin, ResourceServerViewMixin
from people.resource_server.models import AccountServiceScope
from people.teams import policies, selectors, services
from people.teams.api.client import serializers as client_serializers
from people.teams.api.client.views import INVITATION_OR_ACCESS
from people.teams.api.resource_server import serializers as s
from people.teams.models import Invitation, Team, TeamAccess

TEAM_ORDERING = ("created_at", "name")
ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)
TEAM_ID = OpenApiParameter("team_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema_view(
    retrieve=extend_schema(parameters=[ID]),
    create=extend_schema(request=s.ServiceTeamCreateSerializer, responses={201: s.ServiceTeamSerializer}),
    update=extend_schema(parameters=[ID], request=s.ServiceTeamWriteSerializer, responses={200: s.ServiceTeamSerializer}),
    partial_update=extend_schema(parameters=[ID], request=s.ServiceTeamWriteSerializer, responses={200: s.ServiceTeamSerializer}),
)
class TeamViewSet(ResourceServerViewMixin, viewsets.GenericViewSet):
    """The user's teams shared with the calling service. No delete through this API."""

    queryset = Team.objects.none()
    serializer_class = s.ServiceTeamSerializer

    def get_queryset(self):
        # The service's shape of a team needs none of the related ids the selector prefetches.
        return selectors.team_list_visible_to(
            user=self.request.user, service_provider=self.service_provider
        ).prefetch_related(None)

    def _get(self, team_id: Any) -> Team:
        return selectors.team_get_visible_to(
            user=self.request.user, team_id=team_id, service_provider=self.service_provider, with_related=False
        )

    def list(self, request):
        ordering = (request.query_params.get("ordering") or "")[:200]
        queryset = selectors.apply_ordering(
            self.get_queryset(), ordering, allowed=TEAM_ORDERING, default=["-created_at"]
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.ServiceTeamSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.ServiceTeamSerializer(self._get(pk)).data)

    def create(self, request):
        if not policies.user_team_abilities(user=request.user)["can_create"]:
            raise PermissionDenied("You are not allowed to create teams.")
        serializer = s.ServiceTeamCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = services.team_create(
            actor=request.user, calling_service=self.service_provider, **serializer.validated_data
        )
        return Response(s.ServiceTeamSerializer(self._get(team.pk)).data, status=status.HTTP_201_CREATED)

    def _update(self, request, pk, *, partial: bool):
        team = self._get(pk)
        serializer = s.ServiceTeamWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.team_update(actor=request.user, team=team, **serializer.validated_data)
        return Response(s.ServiceTeamSerializer(self._get(team.pk)).data)

    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)


@extend_schema_view(
    list=extend_schema(parameters=[TEAM_ID]),
    retrieve=extend_schema(parameters=[TEAM_ID, ID]),
    create=extend_schema(
        parameters=[TEAM_ID],
        request=client_serializers.InvitationCreateSerializer,
        responses={201: INVITATION_OR_ACCESS},
    ),
    destroy=extend_schema(parameters=[TEAM_ID, ID], responses={204: None}),
)
class InvitationViewSet(ResourceServerViewMixin, viewsets.GenericViewSet):
    """Invitations to the user's teams linked to the calling service (not merely visible to all)."""

    queryset = Invitation.objects.none()
    serializer_class = client_serializers.InvitationSerializer
    schema_error_statuses = {"create": {409}}  # see the client API's InvitationViewSet

    def team(self) -> Team:
        if not hasattr(self, "_team"):
            self._team = selectors.team_get_visible_to(
                user=self.request.user,
                team_id=self.kwargs.get("team_id"),
                service_provider=self.service_provider,
                linked_only=True,
                with_related=False,
            )
        return self._team

    def get_queryset(self):
        return selectors.invitation_list_for(user=self.request.user, team=self.team())

    def _invitation(self, pk: Any) -> Invitation:
        return selectors.invitation_get_for(user=self.request.user, team=self.team(), invitation_id=pk)

    def list(self, request, team_id=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(client_serializers.InvitationSerializer(page, many=True).data)

    def retrieve(self, request, team_id=None, pk=None):
        return Response(client_serializers.InvitationSerializer(self._invitation(pk)).data)

    def create(self, request, team_id=None):
        team = self.team()
        serializer = client_serializers.InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.invitation_create(actor=request.user, team=team, **serializer.validated_data)
        if isinstance(result, TeamAccess):
            # The address is a user's: the access is created at once (see services.invitation_create).
            actor_role = selectors.role_of(user=request.user, team=team, fresh=True)
            context = {
                "actor_role": actor_role,
                "owner_count": selectors.owner_count(team=team),
                "actor_id": request.user.pk,
                "detail": services.EMAIL_KNOWN,
            }
            data = client_serializers.TeamAccessCreatedSerializer(result, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        return Response(client_serializers.InvitationSerializer(result).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, team_id=None, pk=None):
        services.invitation_delete(actor=request.user, invitation=self._invitation(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


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
                serializers={"access": s.ServiceAccessSerializer, "invitation": s.ServiceInvitationSerializer},
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
        data = serializer.validated_data
        try:
            user = user_match(sub=data.get("sub"), email=data.get("email"))
        except AmbiguousEmail as error:
            raise ValidationFailed(
                "Several users have this e-mail address; name the user by sub.", code="ambiguous_email"
            ) from error
        if user is not None and not user.is_active:
            raise ValidationFailed("This user is deactivated.", code="inactive_user")
        if user is not None:
            result = services.team_access_create(
                actor=None, team=team, user=user, role=data["role"], trusted_service=True
            )
        elif data.get("email"):
            result = services.invitation_create(
                actor=None, team=team, email=data["email"], role=data["role"], trusted_service=True
            )
        else:
            raise ValidationFailed(
                "No user has this sub; give an e-mail address to invite them.",
                code="unknown_user",
                errors={"sub": ["No user has this sub."]},
            )
        if isinstance(result, TeamAccess):
            body = s.ServiceAccessSerializer(result).data
        else:
            body = s.ServiceInvitationSerializer(result).data
        return Response(body, status=status.HTTP_201_CREATED)
