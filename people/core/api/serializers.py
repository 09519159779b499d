"""Serializer pieces shared by every app's API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ContextField(serializers.Field):
    """A value the view computed once for the whole answer (`context[<field name>]`), such as
    the caller's abilities or a note on what happened: the serializer reads nothing itself, and
    a list does not run one query per row. `schema` is its OpenAPI type."""

    def __init__(self, schema: Any, **kwargs: Any) -> None:
        super().__init__(read_only=True, source="*", **kwargs)
        extend_schema_field(schema)(self)

    def to_representation(self, value: Any) -> Any:
        return self.context[self.field_name]
