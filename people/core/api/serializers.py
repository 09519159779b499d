"""Serializer pieces shared by every app's API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.core.outbox import delivery_state


class ContextField(serializers.Field):
    """A value the view computed once for the whole answer (`context[<field name>]`), such as
    the caller's abilities or a note on what happened: the serializer reads nothing itself, and
    a list does not run one query per row. `schema` is its OpenAPI type."""

    def __init__(self, schema: Any, **kwargs: Any) -> None:
        super().__init__(read_only=True, source="*", **kwargs)
        extend_schema_field(schema)(self)

    def to_representation(self, value: Any) -> Any:
        return self.context[self.field_name]


class DeliverySerializer(serializers.Serializer):
    """Where the outbound message of an object stands (an invitation's e-mail...), so that the
    person who caused it learns that it bounced. Reads one outbox row, fetched with its object."""

    state = serializers.ChoiceField(choices=["pending", "sent", "failed"], read_only=True)
    error = serializers.CharField(
        read_only=True, allow_null=True, help_text="Why the last attempt failed (null when sent or not tried yet)"
    )
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(delivery_state(instance))
