"""Client API views of users, organizations and service providers: HTTP only, rules elsewhere."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from people.core.api.mixins import ServiceUpdateMixin
from people.core.api.queries import list_params
from people.identity import selectors, services
from people.identity.api.client import serializers
from people.identity.api.throttling import DIRECTORY_THROTTLES


def _validated(serializer_class, data, **kwargs) -> dict:
    """A request body, validated (query parameters go through `list_params`)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[serializers.UserListQuerySerializer], responses=serializers.UserPickerSerializer),
    update=extend_schema(parameters=[ID_PARAMETER], request=serializers.UserPreferencesSerializer),
    partial_update=extend_schema(parameters=[ID_PARAMETER], request=serializers.UserPreferencesSerializer),
)
class UserViewSet(ServiceUpdateMixin, viewsets.GenericViewSet):
    """`users/`: pickers list and one's own preferences. No retrieve (405)."""

    # `users/me/` gathers every app's abilities, so it is served above the apps (people.portal).

    serializer_class = serializers.UserSerializer
    throttle_classes = DIRECTORY_THROTTLES

    def list(self, request):
        params = list_params(request, serializers.UserListQuerySerializer)
        users = selectors.user_search(user=request.user, query=params.get("q"), exclude_team_id=params.get("team_id"))
        page = self.paginate_queryset(users)
        rows = serializers.UserPickerSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(rows.data)

    def perform_service_update(self, request, *, partial: bool, pk=None):
        target = selectors.user_get_visible(user=request.user, user_id=pk)
        fields = _validated(serializers.UserPreferencesSerializer, request.data, partial=partial)
        user = services.user_update_preferences(actor=request.user, user=target, **fields)
        return Response(serializers.UserSerializer(user).data)


@extend_schema_view(
    retrieve=extend_schema(parameters=[ID_PARAMETER]),
    update=extend_schema(parameters=[ID_PARAMETER], request=serializers.OrganizationInputSerializer),
    partial_update=extend_schema(parameters=[ID_PARAMETER], request=serializers.OrganizationInputSerializer),
)
class OrganizationViewSet(ServiceUpdateMixin, viewsets.GenericViewSet):
    """`organizations/{id}/`: read by members and administrators, renamed by administrators."""

    serializer_class = serializers.OrganizationSerializer
    throttle_classes = DIRECTORY_THROTTLES

    def retrieve(self, request, pk=None):
        organization = selectors.organization_get_visible(user=request.user, organization_id=pk)
        return Response(self.get_serializer(organization).data)

    def perform_service_update(self, request, *, partial: bool, pk=None):
        organization = selectors.organization_get_visible(user=request.user, organization_id=pk)
        fields = _validated(serializers.OrganizationInputSerializer, request.data, partial=partial)
        organization = services.organization_update_by_member(actor=request.user, organization=organization, **fields)
        return Response(self.get_serializer(organization).data)


@extend_schema_view(
    list=extend_schema(parameters=[serializers.ServiceProviderQuerySerializer]),
    retrieve=extend_schema(parameters=[ID_PARAMETER]),
)
class ServiceProviderViewSet(viewsets.GenericViewSet):
    """`service-providers/`: those linked to the caller's organization, read only."""

    serializer_class = serializers.ServiceProviderSerializer
    throttle_classes = DIRECTORY_THROTTLES

    def list(self, request):
        params = list_params(request, serializers.ServiceProviderQuerySerializer)
        ordering = params.get("ordering")
        providers = selectors.service_provider_list_visible_to(
            user=request.user, name=params.get("name"), audience_id=params.get("audience_id"), ordering=ordering
        )
        page = self.paginate_queryset(providers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        provider = selectors.service_provider_get_visible(user=request.user, service_provider_id=pk)
        return Response(self.get_serializer(provider).data)
