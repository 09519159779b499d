"""OpenAPI description of the resource-server API: its credentials, ids and tags apart."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from people.core.api.schema import AutoSchema


class ResourceServerSchema(AutoSchema):
    """Operation ids and tags that do not collide with the client API's same-named routes."""

    def get_operation_id(self) -> str:
        return f"resource_server_{super().get_operation_id()}"

    def get_tags(self) -> list[str]:
        return ["resource-server"]


class ServiceScheme(OpenApiAuthenticationExtension):
    """How a service authenticates: one security scheme, the same on every operation. With no
    `target_class` this base describes no authentication class itself."""

    definition: dict[str, str] = {}

    def get_security_definition(self, auto_schema):
        return dict(self.definition)


class BearerTokenScheme(ServiceScheme):
    target_class = "people.resource_server.authentication.BearerTokenAuthentication"
    name = "serviceBearerToken"
    definition = {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token the identity provider issued to a service of the suite "
        "for its user (introspected; scope `groups` by default).",
    }


class ApiKeyScheme(ServiceScheme):
    target_class = "people.resource_server.authentication.ApiKeyAuthentication"
    name = "serviceApiKey"
    definition = {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`ApiKey <key>`: a trusted service's key (manage.py create_account_service).",
    }
