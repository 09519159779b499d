"""Client API of contacts: HTTP only; visibility in selectors, rules in policies/services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from people.contacts import selectors, services
from people.contacts.api.client import serializers
from people.core.api.mixins import ServiceUpdateMixin
from people.core.api.pagination import ArrayUnlessPagedPagination
from people.core.api.queries import list_params
from people.identity.api.throttling import DIRECTORY_THROTTLES

ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[serializers.ContactListQuerySerializer]),
    create=extend_schema(request=serializers.ContactCreateSerializer),
    retrieve=extend_schema(parameters=[ID_PARAMETER]),
    update=extend_schema(parameters=[ID_PARAMETER], request=serializers.ContactInputSerializer),
    partial_update=extend_schema(parameters=[ID_PARAMETER], request=serializers.ContactInputSerializer),
    destroy=extend_schema(parameters=[ID_PARAMETER]),
)
class ContactViewSet(ServiceUpdateMixin, viewsets.GenericViewSet):
    """`contacts/`: sorted by name. The list is a plain array unless `page` or `page_size` asks
    for the paginated envelope."""

    serializer_class = serializers.ContactSerializer
    pagination_class = ArrayUnlessPagedPagination
    throttle_classes = DIRECTORY_THROTTLES

    def list(self, request):
        params = list_params(request, serializers.ContactListQuerySerializer)
        contacts = selectors.contact_list_visible_to(user=request.user, query=params.get("q"))
        page = self.paginate_queryset(contacts)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        contact = selectors.contact_get_visible(user=request.user, contact_id=pk)
        return Response(self.get_serializer(contact).data)

    def create(self, request):
        serializer = serializers.ContactCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    def perform_service_update(self, request, *, partial: bool, pk=None):
        contact = selectors.contact_get_visible(user=request.user, contact_id=pk)
        serializer = serializers.ContactInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(actor=request.user, contact=contact, **serializer.validated_data)
        return Response(self.get_serializer(contact).data)

    def destroy(self, request, pk=None):
        contact = selectors.contact_get_visible(user=request.user, contact_id=pk)
        services.contact_delete(actor=request.user, contact=contact)
        return Response(status=status.HTTP_204_NO_CONTENT)
