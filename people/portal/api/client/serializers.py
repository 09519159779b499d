"""HTTP shape of `users/me/` (client API)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes

from people.core.api.serializers import ContextField
from people.identity.api.client.serializers import UserSerializer
from people.identity.models import User


class UserMeSerializer(UserSerializer):
    abilities = ContextField(OpenApiTypes.OBJECT)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "abilities"]
        read_only_fields = fields

    def to_representation(self, user: User) -> dict:
        return {**super().to_representation(user), "abilities": self.context["abilities"]}
