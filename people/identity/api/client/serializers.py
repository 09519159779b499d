"""HTTP shapes of users, organizations and service providers (client API)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.core.api.queries import OrderingQuerySerializer, SearchQuerySerializer
from people.core.errors import ValidationFailed
from people.identity import policies
from people.identity.models import Organization, ServiceProvider, User
from people.identity.services import validate_language, validate_timezone


def _field_error(error: ValidationFailed, field: str) -> serializers.ValidationError:
    return serializers.ValidationError(error.errors.get(field, [error.detail]))


class UserOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "registration_id_list"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    organization = UserOrganizationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "language", "timezone", "organization", "is_device", "is_staff"]
        read_only_fields = ["id", "email", "name", "organization", "is_device", "is_staff"]

    def to_representation(self, user: User) -> dict:
        # Written out: `users/me/` of both APIs answers this at every page of every client, and
        # building a ModelSerializer's fields costs more than the rest of such a request. The
        # fields above still describe it (schema, input); a test holds the two equal.
        organization = user.organization
        return {
            "id": str(user.pk),
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "timezone": user.timezone,
            "organization": None if organization is None else {
                "id": str(organization.pk),
                "name": organization.name,
                "registration_id_list": list(organization.registration_id_list),
            },
            "is_device": user.is_device,
            "is_staff": user.is_staff,
        }


class UserPickerSerializer(UserSerializer):
    """A row of the users list, a picker for team members and invitations.

    A user of another organization, found by their exact e-mail address, shows only what
    picking them needs (`id`, `email`, `name`); the other keys stay, null, so that clients read
    one shape while that user's organization, registration ids, staff flag and preferences are
    not disclosed.
    """

    PICKER_FIELDS = frozenset({"id", "email", "name"})
    HIDDEN_NOTE = "null for a user of another organization"

    language = serializers.CharField(read_only=True, allow_null=True, help_text=HIDDEN_NOTE)
    timezone = serializers.CharField(read_only=True, allow_null=True, help_text=HIDDEN_NOTE)
    organization = UserOrganizationSerializer(read_only=True, allow_null=True, help_text=HIDDEN_NOTE)
    is_device = serializers.BooleanField(read_only=True, allow_null=True, help_text=HIDDEN_NOTE)
    is_staff = serializers.BooleanField(read_only=True, allow_null=True, help_text=HIDDEN_NOTE)

    def to_representation(self, user: User) -> dict:
        # The caller comes from the context's `request`.
        data = super().to_representation(user)
        if not policies.user_is_visible_to(user=self.context["request"].user, target=user):
            for key in data.keys() - self.PICKER_FIELDS:
                data[key] = None
        return data


@extend_schema_field(serializers.ChoiceField(choices=settings.LANGUAGES))
class LanguageField(serializers.CharField):
    """Checked by `validate_language` (its message lists the codes); documented as their enum."""


class UserPreferencesSerializer(serializers.Serializer):
    """Input of PUT/PATCH users/{id}/: a time zone is required on PUT, the language is not."""

    language = LanguageField(required=False, max_length=10)
    timezone = serializers.CharField(max_length=64)

    def validate_language(self, value: str) -> str:
        try:
            return validate_language(value)
        except ValidationFailed as error:
            raise _field_error(error, "language") from None

    def validate_timezone(self, value: str) -> str:
        try:
            return validate_timezone(value)
        except ValidationFailed as error:
            raise _field_error(error, "timezone") from None


class UserListQuerySerializer(SearchQuerySerializer):
    team_id = serializers.UUIDField(required=False)


class OrganizationSerializer(serializers.ModelSerializer):
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "name", "registration_id_list", "domain_list", "abilities"]
        read_only_fields = ["id", "registration_id_list", "domain_list", "abilities"]

    def get_abilities(self, organization: Organization) -> dict:
        return policies.organization_abilities(user=self.context["request"].user, organization=organization)


class OrganizationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, trim_whitespace=True)


class ServiceProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceProvider
        fields = ["id", "audience_id", "name"]
        read_only_fields = fields


class ServiceProviderQuerySerializer(OrderingQuerySerializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    audience_id = serializers.CharField(required=False, allow_blank=True, max_length=255)
