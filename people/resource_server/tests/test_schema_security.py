"""The OpenAPI description tells services how to authenticate: each authentication class of the
resource server has its scheme, and its operations require one of these."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from people.resource_server.schema import ApiKeyScheme, BearerTokenScheme


def test_each_service_credential_has_its_scheme():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["serviceBearerToken"] == BearerTokenScheme.definition
    assert schemes["serviceApiKey"] == ApiKeyScheme.definition
    assert schemes["serviceBearerToken"]["scheme"] == "bearer"
    assert (schemes["serviceApiKey"]["in"], schemes["serviceApiKey"]["name"]) == ("header", "Authorization")
    operations = [
        operation
        for path, item in schema["paths"].items()
        if path.startswith("/resource-server/")
        for operation in item.values()
    ]
    assert operations
    for operation in operations:
        required = {name for requirement in operation["security"] for name in requirement}
        assert required, operation["operationId"]
        assert required <= {"serviceBearerToken", "serviceApiKey"}, operation["operationId"]


def test_a_scheme_answer_does_not_change_the_next_one():
    first = BearerTokenScheme(None).get_security_definition(None)
    first["scheme"] = "basic"
    assert BearerTokenScheme(None).get_security_definition(None)["scheme"] == "bearer"
