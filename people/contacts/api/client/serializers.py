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

    def to_representation(self, contact: Contact) -> dict:
        # Written out: the suite's client reads the whole address book in one list, and DRF's
        # field machinery cost more than the query. The fields above still describe it (the
        # schema); a test holds the two equal.
        user = self.context["request"].user
        return {
            "id": str(contact.pk),
            "abilities": policies.contact_abilities(user=user, contact=contact),
            "override": None if contact.override_id is None else str(contact.override_id),
            "data": contact.data,
            "full_name": contact.full_name,
            "short_name": contact.short_name,
            "notes": contact.notes if policies.contact_can_see_notes(user=user, contact=contact) else "",
            "owner": None if contact.owner_id is None else str(contact.owner_id),
        }


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
