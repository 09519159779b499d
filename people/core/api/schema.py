"""OpenAPI description of People's API beyond what drf-spectacular infers (loaded by CoreConfig.ready).

`AutoSchema` documents the error answers of every operation from what the view declares
(authentication, permissions, throttles, path ids, pagination, input), so that a new view is
documented truthfully without repeating them. The bodies are those of `people.core.api.errors`.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}

ERROR = {
    "type": "object",
    "description": "A refused request: `detail` tells what went wrong and how to fix it; `code` names "
    "a broken rule (`last_owner`, `already_member`, `permission_denied`, `conflict`...) when there "
    "is one; `errors` maps fields to their messages when the rule concerns fields.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {}},
    },
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": 'Messages per input field (`{"name": ["This field is required."]}`); '
    "`__all__` or `non_field_errors` for messages about the input as a whole.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object", "description": "Messages of a nested field, by key or index"},
        ]
    },
}
STATUS_DESCRIPTIONS = {
    400: "Invalid input: messages per field, or a broken rule with its `code`.",
    401: "Not signed in, or credentials refused.",
    403: "Seen but not allowed (the role, the credentials' scope, or a missing CSRF token).",
    404: "Unknown, or not visible to the caller (or a page past the end of a list).",
    409: "A concurrent request changed the same objects first: reload and try again.",
    415: "The body's media type is not one of those documented.",
    429: "Too many requests: retry after the `Retry-After` header's seconds.",
    503: "A service People depends on did not answer: retry later.",
}


def component(auto_schema: SpectacularAutoSchema, name: str, schema: dict[str, Any]) -> dict[str, str]:
    # A copy: drf-spectacular's post-processing rewrites registered schemas in place.
    resolved = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=copy.deepcopy(schema))
    auto_schema.registry.register_on_missing(resolved)
    return resolved.ref


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses each operation can give.

    Views may declare more with `schema_error_statuses`: a mapping of action names (viewsets)
    or HTTP methods (other views) to statuses their services can answer that cannot be inferred,
    such as a 409 where a unique constraint may be won by a concurrent request, or a 400 on a
    DELETE that a rule can refuse. `schema_error_body` replaces the error body (name, schema,
    media type) for views with their own envelope (SCIM).
    """

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        name, schema, media_type = getattr(self.view, "schema_error_body", ("Error", ERROR, "application/json"))
        error_ref = component(self, name, schema)
        for status in sorted(self.error_statuses()):
            body = error_ref
            if status == 400 and name == "Error":
                body = {"oneOf": [component(self, "FieldErrors", FIELD_ERRORS), error_ref]}
            responses.setdefault(
                str(status), {"content": {media_type: {"schema": body}}, "description": STATUS_DESCRIPTIONS[status]}
            )
        return responses

    def error_statuses(self) -> set[int]:
        method = self.method.upper()
        statuses: set[int] = set()
        authenticators = self.view.get_authenticators()
        permissions = self.view.get_permissions()
        public = all(isinstance(permission, AllowAny) for permission in permissions)
        if authenticators and not public:
            statuses.add(401)
            for authenticator in authenticators:
                statuses.update(getattr(authenticator, "schema_error_statuses", ()))
            if method in UNSAFE_METHODS or any(_denies_authenticated(permission) for permission in permissions):
                statuses.add(403)
        if self._has_path_parameters() or self._is_paginated():
            statuses.add(404)
        has_body = method in BODY_METHODS and self.get_request_serializer() is not None
        if has_body or self._has_query_parameters():
            statuses.add(400)
        if has_body:
            statuses.add(415)
        if self.view.get_throttles():
            statuses.add(429)
        declared = getattr(self.view, "schema_error_statuses", {})
        statuses.update(declared.get(getattr(self.view, "action", None) or method.lower(), ()))
        return statuses

    def _has_path_parameters(self) -> bool:
        return "{" in self.path

    def _is_paginated(self) -> bool:
        return bool(self._is_list_view() and getattr(self.view, "pagination_class", None))

    def _has_query_parameters(self) -> bool:
        return any(parameter["in"] == "query" for parameter in self._get_parameters())


def _denies_authenticated(permission: Any) -> bool:
    """Whether a permission can refuse a caller its authentication accepted (a 403)."""
    if getattr(permission, "authentication_only", False):
        return False
    return not isinstance(permission, (AllowAny, IsAuthenticated))  # noqa: UP038 - DRF permissions are not types


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "people.core.api.authentication.SessionAuthentication"
    name = "sessionAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class JSONSchemaField(serializers.JSONField):
    """A JSON value checked against a JSON schema file; documented as that schema.

    The check itself belongs to the model (`people.core.jsonschema`); this field only carries the
    schema's path and component name to the OpenAPI description.
    """

    def __init__(self, *, schema_path: Path, component_name: str, **kwargs: Any):
        self.schema_path = schema_path
        self.component_name = component_name
        super().__init__(**kwargs)


@cache
def openapi_schema_of(path: Path) -> dict[str, Any]:
    """A JSON schema file as an OpenAPI 3.0 schema object (which has no `$schema` or `$id`)."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in schema.items() if key not in {"$schema", "$id", "$comment"}}


class JSONSchemaFieldExtension(OpenApiSerializerFieldExtension):
    target_class = JSONSchemaField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        return component(auto_schema, field.component_name, openapi_schema_of(field.schema_path))
