"""HTTP shapes of teams for the suite's services: no abilities, accesses or provider ids."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from people.teams.api.serializers import UserSummarySerializer
from people.teams.models import TEAM_NAME_MAX_LENGTH, Team, TeamRole


class ServiceTeamSerializer(serializers.ModelSerializer):
    """Needs the `team_list_visible_to` annotations (`numchild`)."""

    numchild = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "created_at", "updated_at", "depth", "path", "numchild", "is_visible_all_services"]
        read_only_fields = fields


class ServiceTeamWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=TEAM_NAME_MAX_LENGTH)
    is_visible_all_services = serializers.BooleanField(required=False)


class ServiceTeamCreateSerializer(ServiceTeamWriteSerializer):
    # A team made by a service is that service's unless it says otherwise.
    is_visible_all_services = serializers.BooleanField(required=False, default=False)


class ServiceAccessCreateSerializer(serializers.Serializer):
    """The user is named by `sub` and/or `email`: matched like at sign-in, never created."""

    sub = serializers.CharField(required=False, max_length=255, allow_blank=False)
    email = serializers.EmailField(required=False, max_length=254)
    role = serializers.ChoiceField(choices=TeamRole.choices, default=TeamRole.MEMBER)

    def validate(self, attrs):
        if not attrs.get("sub") and not attrs.get("email"):
            raise serializers.ValidationError({"sub": [_("Give a sub or an e-mail address.")]})
        return attrs


class ServiceAccessSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField()
    id = serializers.UUIDField(read_only=True)
    team = serializers.UUIDField(source="team_id", read_only=True)
    user = UserSummarySerializer(read_only=True)
    role = serializers.CharField(read_only=True)

    def get_kind(self, access) -> str:
        return "access"


class ServiceInvitationSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField()
    id = serializers.UUIDField(read_only=True)
    team = serializers.UUIDField(source="team_id", read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)

    def get_kind(self, invitation) -> str:
        return "invitation"
