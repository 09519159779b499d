"""Error pages of the design system outside the API; JSON under it; no traceback on any page,
even with DEBUG on."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as root_urlpatterns
from people.core.web.actions import ServiceRefused

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("secret detail of a bug")


def refused(request):
    raise ServiceRefused("Only owners may delete this team.")


def forbidden(request):
    raise PermissionDenied("internal reason not for users")


urlpatterns = [
    path("broken/", broken),
    path("refused/", refused),
    path("forbidden/", forbidden),
    *root_urlpatterns,
]
handler400 = "people.core.web.errors.bad_request"
handler403 = "people.core.web.errors.permission_denied"
handler404 = "people.core.web.errors.page_not_found"
handler500 = "people.core.web.errors.server_error"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = __name__
    return request.param


def assert_design_system_page(response, status: int, *words: str):
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'class="fr-header"' in body
    assert 'id="error-page"' in body
    assert "Traceback" not in body
    assert "secret detail" not in body
    for word in words:
        assert word in body


def test_not_found(client, debug):
    assert_design_system_page(client.get("/no/such/page/"), 404, "Page non trouvée")


def test_server_error_shows_no_traceback(debug, caplog):
    response = Client(raise_request_exception=False).get("/broken/")
    assert_design_system_page(response, 500, "Erreur inattendue")
    assert 'id="signed-in"' not in response.content.decode()
    assert any("secret detail of a bug" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_a_refusal_by_a_service_shows_its_reason(client, debug):
    assert_design_system_page(client.get("/refused/"), 403, "Accès refusé", "Only owners may delete this team.")


def test_other_refusals_show_a_general_message(client, debug):
    response = client.get("/forbidden/")
    assert_design_system_page(response, 403, "Vous n’avez pas le droit de faire cela.")
    assert "internal reason" not in response.content.decode()


def test_csrf_refusal_is_a_page(debug):
    response = Client(enforce_csrf_checks=True).post("/language/", {"language": "en-us"})
    assert_design_system_page(response, 403, "Ce formulaire a expiré")


def test_the_api_keeps_its_json_errors(client, debug):
    response = client.get("/api/v1.0/no/such/thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    response = Client(raise_request_exception=False).get("/api/v1.0/teams/", HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"


def test_error_pages_follow_the_language(client, debug):
    assert_design_system_page(client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en"), 404, "Page not found")
