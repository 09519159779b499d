"""Every operation of the client API but `config/` is session-only: without a session it
answers 401 with a `WWW-Authenticate` challenge (DRF alone would say 403), whatever the
method and id. Operations are read from the OpenAPI schema, so new ones are covered."""

from __future__ import annotations

import re
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

PUBLIC = {("/api/v1.0/config/", "get")}
METHODS = ("get", "post", "put", "patch", "delete")


def client_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (path, method)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1.0/")
        for method in operations
        if method in METHODS and (path, method) not in PUBLIC
    )


@pytest.mark.django_db
def test_anonymous_gets_401_with_a_challenge():
    """One test over all operations, the schema being built when it runs (a schema that fails
    to build fails here, not the collection of the suite)."""
    operations = client_operations()
    assert ("/api/v1.0/users/me/", "get") in operations
    assert ("/api/v1.0/teams/{team_id}/invitations/{id}/refresh/", "post") in operations
    failures = []
    for path, method in operations:
        url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        response = getattr(APIClient(), method)(url, {}, format="json")
        if response.status_code != 401 or response.headers.get("WWW-Authenticate") != 'Bearer realm="api"':
            failures.append((method.upper(), url, response.status_code, response.headers.get("WWW-Authenticate")))
    assert not failures
