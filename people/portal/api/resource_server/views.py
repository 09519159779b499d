"""`users/me/` for the suite's services (bearer tokens, see people.resource_server)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from people.identity.api.client.serializers import UserSerializer
from people.resource_server.mixins import ResourceServerViewMixin


class UserMeView(ResourceServerViewMixin, APIView):
    """The user the token was issued for, with their organization (already loaded by the auth)."""

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)
