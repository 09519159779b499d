"""HTTP shape of `users/me/` (client API)."""

from __future__ import annotations

from rest_framework import serializers

from people.identity.api.client.serializers import UserSerializer
from people.identity.models import User


class UserMeSerializer(UserSerializer):
    # The abilities are computed by the view (`context["abilities"]`): a serializer reads nothing.
    abilities = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "abilities"]
        read_only_fields = fields

    def get_abilities(self, user: User) -> dict:
        return self.context["abilities"]
