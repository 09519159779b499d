"""HTTP shapes of contacts (client API)."""

from __future__ import annotations

from rest_framework import serializers

from people.contacts import policies
from people.contacts.models import DATA_SCHEMA, Contact
from people.core.api.queries import SearchQuerySerializer
from people.core.api.schema import JSONSchemaField


def contact_data_field(**kwargs) -> JSONSchemaField:
    return JSONSchemaField(schema_path=DATA_SCHEMA, component_name="ContactData", **kwargs)


class ContactSerializer(serializers.ModelSerializer):
    """Output. `notes` are the owner's private memo: others always read `""`."""

    abilities = serializers.SerializerMethodField()
    data = contact_data_field(read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "abilities", "override", "data", "full_name", "short_name", "notes", "owner"]
        read_only_fields = fields

    def get_abilities(self, contact: Contact) -> dict:
        return policies.contact_abilities(user=self.context["request"].user, contact=contact)

    def get_notes(self, contact: Contact) -> str:
        return contact.notes if policies.contact_can_see_notes(user=self.context["request"].user, contact=contact) else ""


class ContactInputSerializer(serializers.Serializer):
    """Input of create and update; `data` is checked against the JSON schema by the model."""

    full_name = serializers.CharField(max_length=150)
    short_name = serializers.CharField(max_length=30, required=False, allow_null=True, allow_blank=True)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True, trim_whitespace=False)
    data = contact_data_field()


class ContactCreateSerializer(ContactInputSerializer):
    override = serializers.UUIDField(required=False, allow_null=True)


class ContactListQuerySerializer(SearchQuerySerializer):
    """`q` only: `ordering` is ignored (always by name)."""
