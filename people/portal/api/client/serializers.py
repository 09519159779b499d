"""HTTP shape of `users/me/` (client API)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes

from people.core.api.serializers import ContextField
from people.identity.api.client.serializers import UserSerializer


class UserMeSerializer(UserSerializer):
    abilities = ContextField(OpenApiTypes.OBJECT)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "abilities"]
        read_only_fields = fields
