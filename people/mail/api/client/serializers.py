"""HTTP shapes of mail domains, accesses, invitations, mailboxes and aliases. No rules here:
abilities come from `people.mail.policies`, reasons from `people.mail.messages`.

What a row needs beyond its own columns (the caller's role, the owner count, the domain of a
nested route) is computed once per request and passed in the context, so that a page costs
the same queries whatever its length.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.core.api.serializers import ContextField, DeliverySerializer
from people.identity.api.client.serializers import UserPickerSerializer
from people.mail import messages, policies
from people.mail.models import (
    ALIAS_LOCAL_PART_MAX_LENGTH,
    DISCARD_DESTINATION,
    DOMAIN_NAME_MAX_LENGTH,
    DOMAIN_NAME_PATTERN,
    LOCAL_PART_PATTERN,
    MAILBOX_LOCAL_PART_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Alias,
    Mailbox,
    MailDomain,
    MailDomainAccess,
    MailDomainInvitation,
    MailDomainRole,
)


def _bools(*keys: str) -> dict[str, Any]:
    return {"type": "object", "properties": {key: {"type": "boolean"} for key in keys}, "required": list(keys)}


class MailDomainSerializer(serializers.ModelSerializer):
    """A domain seen by one of its managers or viewers (reads the annotations of
    `selectors.domain_list_visible_to`)."""

    abilities = serializers.SerializerMethodField()
    count_mailboxes = serializers.IntegerField(read_only=True)
    role = serializers.CharField(source="user_role", read_only=True, help_text="The caller's role on the domain")
    status_message = serializers.SerializerMethodField(help_text="Why the domain is not enabled, in words")
    action_required_details = serializers.DictField(
        child=serializers.CharField(), read_only=True,
        help_text="For each failing check the owner must fix (DNS), its first error",
    )
    expected_config = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), read_only=True, allow_null=True,
        help_text="The DNS records the platform expects: `[{target, type, value}]`",
    )
    last_check_details = serializers.JSONField(read_only=True, allow_null=True)
    organization = serializers.UUIDField(source="organization_id", read_only=True)

    class Meta:
        model = MailDomain
        fields = [
            "id", "name", "slug", "status", "status_message", "abilities", "role", "created_at", "updated_at",
            "count_mailboxes", "support_email", "organization", "last_check_at", "last_check_details",
            "action_required_details", "expected_config",
        ]
        read_only_fields = fields

    @extend_schema_field(_bools("get", "patch", "put", "post", "delete", "manage_accesses"))
    def get_abilities(self, domain: MailDomain) -> dict:
        return policies.domain_abilities(role=getattr(domain, "user_role", None))

    def get_status_message(self, domain: MailDomain) -> str:
        return messages.domain_status_message(domain)


class MailDomainCreateSerializer(serializers.Serializer):
    name = serializers.RegexField(
        DOMAIN_NAME_PATTERN, max_length=DOMAIN_NAME_MAX_LENGTH, help_text="A DNS domain name, e.g. ville.fr (stored in lower case)"
    )
    support_email = serializers.EmailField(max_length=254, help_text="Told of every change of the domain's status")


class AccessUserSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True, allow_null=True)


class MailDomainAccessSerializer(serializers.ModelSerializer):
    """Context: `actor_role`, `owner_count` (once per request)."""

    user = AccessUserSerializer(read_only=True)
    can_set_role_to = serializers.SerializerMethodField()
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = MailDomainAccess
        fields = ["id", "user", "role", "can_set_role_to", "abilities"]
        read_only_fields = fields

    def _abilities(self, access: MailDomainAccess) -> dict[str, Any]:
        return policies.access_abilities(
            actor_role=self.context["actor_role"], access=access, owner_count=self.context["owner_count"]
        )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=MailDomainRole.choices)))
    def get_can_set_role_to(self, access: MailDomainAccess) -> list[str]:
        return self._abilities(access)["set_role_to"]

    @extend_schema_field(_bools("get", "patch", "put", "delete"))
    def get_abilities(self, access: MailDomainAccess) -> dict[str, bool]:
        abilities = self._abilities(access)
        return {key: abilities[key] for key in ("get", "patch", "put", "delete")}


class MailDomainAccessCreatedSerializer(MailDomainAccessSerializer):
    """An access created in place of an invitation, with a note saying so."""

    detail = ContextField(OpenApiTypes.STR)

    class Meta(MailDomainAccessSerializer.Meta):
        fields = [*MailDomainAccessSerializer.Meta.fields, "detail"]
        read_only_fields = fields


class MailDomainAccessCandidateSerializer(UserPickerSerializer):
    """A user the caller may give a role on the domain (`accesses/users/`): the users list's row."""


class MailDomainAccessCreateSerializer(serializers.Serializer):
    user = serializers.UUIDField(help_text="Id of a user `accesses/users/` lists")
    role = serializers.ChoiceField(choices=MailDomainRole.choices, default=MailDomainRole.VIEWER)


class MailDomainAccessUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MailDomainRole.choices)


class MailDomainInvitationSerializer(serializers.ModelSerializer):
    domain = serializers.UUIDField(source="domain_id", read_only=True)
    issuer = serializers.UUIDField(source="issuer_id", read_only=True, allow_null=True)
    is_expired = serializers.BooleanField(read_only=True)
    delivery = DeliverySerializer(
        source="email_outbox", read_only=True, allow_null=True, help_text="The invitation e-mail's delivery"
    )

    class Meta:
        model = MailDomainInvitation
        fields = ["id", "created_at", "email", "domain", "role", "issuer", "is_expired", "expires_at", "delivery"]
        read_only_fields = fields


class MailDomainInvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=MailDomainRole.choices, default=MailDomainRole.VIEWER)


class MailboxSerializer(serializers.ModelSerializer):
    """Context: `domain` (the route's), `role` and `user` (the caller)."""

    email = serializers.EmailField(read_only=True, help_text="local_part@domain")
    status_message = serializers.SerializerMethodField(help_text="Why the mailbox is pending or failed, in words")
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = Mailbox
        fields = [
            "id", "first_name", "last_name", "local_part", "email", "secondary_email", "status", "status_message",
            "abilities", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def get_status_message(self, mailbox: Mailbox) -> str:
        return messages.object_status_message(mailbox, domain=self.context["domain"])

    @extend_schema_field(_bools("get", "patch", "put", "delete", "disable", "enable", "reset_password", "login_link"))
    def get_abilities(self, mailbox: Mailbox) -> dict[str, bool]:
        return policies.mailbox_abilities(
            role=self.context["role"], user=self.context["user"], mailbox=mailbox,
            domain_name=self.context["domain"].name,
        )


class MailboxUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    last_name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    secondary_email = serializers.EmailField(
        max_length=254, required=False, allow_null=True, allow_blank=True,
        help_text="Where one-time login links are sent",
    )


class MailboxCreateSerializer(MailboxUpdateSerializer):
    local_part = serializers.RegexField(
        LOCAL_PART_PATTERN, max_length=MAILBOX_LOCAL_PART_MAX_LENGTH,
        help_text="Letters, digits, `_`, `-`, in parts joined by single dots; stored in lower case",
    )


class AliasSerializer(serializers.ModelSerializer):
    """Context: `domain` (the route's) and `domain_data`, its shape computed once."""

    domain = serializers.SerializerMethodField()
    status_message = serializers.SerializerMethodField(help_text="Why the alias is pending or failed, in words")
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = Alias
        fields = ["id", "local_part", "destination", "domain", "status", "status_message", "abilities", "created_at"]
        read_only_fields = fields

    @extend_schema_field(MailDomainSerializer)
    def get_domain(self, alias: Alias) -> dict:
        return self.context["domain_data"]

    def get_status_message(self, alias: Alias) -> str:
        return messages.object_status_message(alias, domain=self.context["domain"])

    @extend_schema_field(_bools("get", "delete"))
    def get_abilities(self, alias: Alias) -> dict[str, bool]:
        return policies.alias_abilities(role=self.context["role"])


class AliasDestinationField(serializers.EmailField):
    """An e-mail address, or the platform's discard destination (which has no dot)."""

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str) and data.strip().lower() == DISCARD_DESTINATION:
            return DISCARD_DESTINATION
        return super().to_internal_value(data)

    def run_validators(self, value: Any) -> None:
        if value != DISCARD_DESTINATION:
            super().run_validators(value)


class AliasCreateSerializer(serializers.Serializer):
    local_part = serializers.RegexField(
        LOCAL_PART_PATTERN, max_length=ALIAS_LOCAL_PART_MAX_LENGTH,
        help_text="Letters, digits, `_`, `-`, in parts joined by single dots; stored in lower case",
    )
    destination = AliasDestinationField(
        max_length=254, help_text=f"An e-mail address, or `{DISCARD_DESTINATION}` to drop what arrives"
    )


class AliasBulkDeleteQuerySerializer(serializers.Serializer):
    local_part = serializers.CharField(max_length=ALIAS_LOCAL_PART_MAX_LENGTH, help_text="Delete every alias of this name")
