"""HTTP shapes of teams for the suite's services: no abilities, accesses or provider ids."""

from __future__ import annotations

from rest_framework import serializers

from people.teams.models import Team


class TeamSerializer(serializers.ModelSerializer):
    """Needs the `team_list_visible_to` annotations (`numchild`)."""

    numchild = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "created_at", "updated_at", "depth", "path", "numchild", "is_visible_all_services"]
        read_only_fields = fields


class TeamWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    is_visible_all_services = serializers.BooleanField(required=False)


class TeamCreateSerializer(TeamWriteSerializer):
    # A team made by a service is that service's unless it says otherwise.
    is_visible_all_services = serializers.BooleanField(required=False, default=False)
