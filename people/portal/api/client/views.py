"""`users/me/` of the client API: the signed-in user, with what every app lets them do."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from people.identity.api.throttling import DIRECTORY_THROTTLES
from people.portal.api.client.serializers import UserMeSerializer
from people.portal.policies import user_abilities


class UserMeView(APIView):
    """The signed-in user, with their organization and what the frontend should offer them."""

    throttle_classes = DIRECTORY_THROTTLES

    @extend_schema(responses=UserMeSerializer, operation_id="users_me")
    def get(self, request):
        abilities = user_abilities(user=request.user)
        return Response(UserMeSerializer(request.user, context={"abilities": abilities}).data)
