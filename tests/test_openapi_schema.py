"""The committed OpenAPI schema (docs/openapi.yaml) is valid and matches the code.

Regenerate it with `make schema` after changing an endpoint.
"""

from pathlib import Path

from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


def test_committed_schema_is_up_to_date_and_valid(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == SCHEMA.read_text(), "docs/openapi.yaml is stale: run `make schema`"


def test_schema_is_served(client):
    response = client.get("/api/v1.0/schema/")
    assert response.status_code == 200
    assert b"/resource-server/v1.0/teams/" in response.content


def test_swagger_ui_is_served(client):
    response = client.get("/api/v1.0/swagger/")
    assert response.status_code == 200
    # The start-up script is a request of its own (no inline script under the CSP).
    assert b'<script src="/api/v1.0/swagger/?script="></script>' in response.content
    script = client.get("/api/v1.0/swagger/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1.0/schema/" in script.content
