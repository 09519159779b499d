"""HTTP shapes of teams, accesses and invitations for the client API. No rules here."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.teams import policies, services
from people.teams.models import TEAM_NAME_MAX_LENGTH, Team, TeamRole, TeamWebhook, WebhookProtocol


class TeamSerializer(serializers.ModelSerializer):
    """A team as seen by the caller."""

    # Reads the annotations of `team_list_visible_to` and the ids of `with_related_ids`.

    abilities = serializers.SerializerMethodField()
    accesses = serializers.SerializerMethodField()
    service_providers = serializers.SerializerMethodField()
    numchild = serializers.IntegerField(read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    role = serializers.CharField(source="user_role", read_only=True, allow_null=True)
    parent = serializers.UUIDField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = [
            "id", "name", "abilities", "accesses", "created_at", "updated_at", "depth", "path", "numchild",
            "is_visible_all_services", "service_providers", "role", "member_count", "parent",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {key: {"type": "boolean"} for key in ("get", "patch", "put", "delete", "manage_accesses")},
            "required": ["get", "patch", "put", "delete", "manage_accesses"],
        }
    )
    def get_abilities(self, team: Team) -> dict:
        role = getattr(team, "user_role", None)
        return policies.team_abilities(role=role, is_ancestor_only=role is None)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_accesses(self, team: Team) -> list:
        # Callers who see the team only as an ancestor of theirs do not learn who is in it.
        return team.access_ids if getattr(team, "user_role", None) is not None else []

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_service_providers(self, team: Team) -> list:
        return team.service_provider_ids

    def to_representation(self, team: Team) -> dict:
        # Written out: the suite's client reads every team of its user in one list, and DRF's
        # field machinery cost more than the queries. The fields above still describe it (the
        # schema); a test holds the two equal.
        role = getattr(team, "user_role", None)
        return {
            "id": str(team.pk),
            "name": team.name,
            "abilities": policies.team_abilities(role=role, is_ancestor_only=role is None),
            "accesses": [str(pk) for pk in team.access_ids] if role is not None else [],
            "created_at": _datetime(team.created_at),
            "updated_at": _datetime(team.updated_at),
            "depth": team.depth,
            "path": team.path,
            "numchild": team.numchild,
            "is_visible_all_services": team.is_visible_all_services,
            "service_providers": [str(pk) for pk in team.service_provider_ids],
            "role": role,
            "member_count": team.member_count,
            "parent": None if team.parent_id is None else str(team.parent_id),
        }


_datetime = serializers.DateTimeField().to_representation


class _ServiceProviderIds(serializers.ListField):
    """Ids, duplicates dropped; which providers may be linked is the service's rule."""

    child = serializers.UUIDField()

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", "Ids among those `service-providers/` lists")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return list(dict.fromkeys(super().to_internal_value(data)))


class TeamWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=TEAM_NAME_MAX_LENGTH)
    is_visible_all_services = serializers.BooleanField(required=False)
    service_providers = _ServiceProviderIds(required=False)


class TeamCreateSerializer(TeamWriteSerializer):
    parent = serializers.UUIDField(required=False, allow_null=True, help_text="Id of a team you administer")
    is_visible_all_services = serializers.BooleanField(required=False, default=True)


class TeamAccessCreateSerializer(serializers.Serializer):
    user = serializers.UUIDField(
        help_text="Id of an active user of your organization; people of other organizations are invited by e-mail"
    )
    role = serializers.ChoiceField(choices=TeamRole.choices, default=TeamRole.MEMBER)


class TeamAccessUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=TeamRole.choices)
    user = serializers.UUIDField(required=False, write_only=True, help_text="Ignored: an access keeps its user")


class TeamWebhookSerializer(serializers.ModelSerializer):
    """A webhook and where its deliveries stand; its secret is never shown."""

    class Meta:
        model = TeamWebhook
        fields = ["id", "url", "protocol", "remote_id", "status", "last_error", "last_delivery_at", "created_at"]
        read_only_fields = fields
        extra_kwargs = {
            "remote_id": {"help_text": "The group's id at the service, once created there"},
            "status": {"help_text": "The last delivery's outcome: pending (changes on their way), "
                       "delivered, retrying (the service did not answer; retried with backoff), failed"},
            "last_error": {"help_text": "Why the last attempt failed, in the service's words (empty once delivered)"},
        }


class TeamWebhookCreateSerializer(serializers.Serializer):
    url = serializers.RegexField(
        services.WEBHOOK_URL_PATTERN, max_length=500, trim_whitespace=False,
        help_text="The service's SCIM base URL (https), e.g. https://service.example/scim/v2",
    )
    secret = serializers.RegexField(
        services.WEBHOOK_SECRET_PATTERN, max_length=1000, write_only=True, trim_whitespace=False,
        help_text="The token the service gave (printable ASCII, no spaces), sent as `Authorization: Bearer`; "
        "never shown again",
    )
    protocol = serializers.ChoiceField(choices=WebhookProtocol.choices, default=WebhookProtocol.SCIM)
