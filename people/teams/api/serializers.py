"""HTTP shapes of accesses and invitations, the same for the client API and the resource server."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.core.api.serializers import ContextField, DeliverySerializer
from people.teams import policies
from people.teams.models import Invitation, TeamAccess, TeamRole


class UserSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)


class AccessAbilitiesSerializer(serializers.Serializer):
    get = serializers.BooleanField()
    patch = serializers.BooleanField()
    put = serializers.BooleanField()
    delete = serializers.BooleanField()
    set_role_to = serializers.ListField(child=serializers.CharField(), help_text="Roles among member, administrator, owner")


class TeamAccessSerializer(serializers.ModelSerializer):
    """Context: `actor_role`, `owner_count`, `actor_id` (computed once per request)."""

    user = UserSummarySerializer(read_only=True)
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = TeamAccess
        fields = ["id", "user", "role", "abilities"]
        read_only_fields = fields

    @extend_schema_field(AccessAbilitiesSerializer)
    def get_abilities(self, access: TeamAccess) -> dict:
        return policies.access_abilities(
            actor_role=self.context["actor_role"],
            access=access,
            owner_count=self.context["owner_count"],
            actor_id=self.context["actor_id"],
        )

    def to_representation(self, access: TeamAccess) -> dict:
        # Written out, as the members page of every client reads it (DRF's field machinery cost
        # more than the queries); the fields above describe it, and a test holds the two equal.
        user = access.user
        return {
            "id": str(access.pk),
            "user": {"id": str(user.pk), "email": user.email, "name": user.name},
            "role": access.role,
            "abilities": self.get_abilities(access),
        }


class TeamAccessCreatedSerializer(TeamAccessSerializer):
    """An access created in place of an invitation, with a note saying so."""

    detail = ContextField(OpenApiTypes.STR)

    class Meta(TeamAccessSerializer.Meta):
        fields = [*TeamAccessSerializer.Meta.fields, "detail"]
        read_only_fields = fields

    def to_representation(self, access: TeamAccess) -> dict:
        return {**super().to_representation(access), "detail": self.context["detail"]}


class InvitationSerializer(serializers.ModelSerializer):
    team = serializers.UUIDField(source="team_id", read_only=True)
    issuer = serializers.UUIDField(source="issuer_id", read_only=True, allow_null=True)
    is_expired = serializers.BooleanField(read_only=True)
    delivery = DeliverySerializer(
        source="email_outbox", read_only=True, allow_null=True,
        help_text="The invitation e-mail's delivery (null for invitations sent before this was recorded)",
    )

    class Meta:
        model = Invitation
        fields = ["id", "created_at", "email", "team", "role", "issuer", "is_expired", "expires_at", "delivery"]
        read_only_fields = ["id", "created_at", "team", "issuer", "is_expired", "expires_at", "delivery"]


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=TeamRole.choices, default=TeamRole.MEMBER)
