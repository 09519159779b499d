"""The OpenAPI schema and Swagger UI are published only with PEOPLE_API_DOCS (default: on in
development, off in production; see people/core/tests/test_settings_security.py)."""

import pytest

PATHS = ["/api/v1.0/schema/", "/api/v1.0/swagger/", "/api/v1.0/swagger/?script="]


@pytest.mark.parametrize("path", PATHS)
def test_off_answers_404_json(client, settings, path):
    settings.API_DOCS = False
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("path", PATHS)
def test_on_serves_them(client, settings, path):
    settings.API_DOCS = True
    assert client.get(path).status_code == 200
