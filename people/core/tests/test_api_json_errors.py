"""Under /api/ and /resource-server/ every error is JSON (404, 405, 500); elsewhere pages stay HTML."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from people.core.api.views import ConfigView
from people.resource_server import views as rs_views

pytestmark = pytest.mark.django_db

PREFIXES = ["/api/v1.0/", "/resource-server/v1.0/"]


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    """DEBUG swaps Django's error pages for its technical ones: both must become JSON."""
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def django_request_log(caplog):
    """Records of `django.request`, which does not propagate to the root logger."""
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.usefixtures("debug")
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("tail", ["mail-lists/", "mail-lists/x/members/", "nope", "teams/x/y/z/"])
def test_unknown_paths_answer_a_json_404(client, prefix, tail):
    response = client.get(f"{prefix}{tail}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_missing_slash_is_still_redirected(client):
    response = client.get("/api/v1.0/config")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1.0/config/"


@pytest.mark.usefixtures("debug")
@pytest.mark.parametrize("url", ["/api/v1.0/jwks", "/resource-server/v1.0/jwks", "/api/v1.0/schema/"])
def test_a_method_not_offered_by_a_plain_view_answers_a_json_405(client, url):
    response = client.put(url)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.', "code": "method_not_allowed"}
    assert "GET" in response["Allow"]


def test_drf_405_keeps_its_body(client):
    response = client.post("/api/v1.0/config/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


@pytest.mark.usefixtures("debug")
@pytest.mark.parametrize(
    ("url", "target", "name"),
    [
        ("/api/v1.0/config/", ConfigView, "get"),  # a DRF view
        ("/resource-server/v1.0/jwks", rs_views.keys, "get_key_ring"),  # a plain Django view
        ("/api/v1.0/jwks", rs_views.keys, "get_key_ring"),
    ],
)
def test_an_unhandled_exception_is_a_logged_json_500(monkeypatch, django_request_log, url, target, name):
    def broken(*args, **kwargs):
        raise RuntimeError("boom in the view")

    monkeypatch.setattr(target, name, broken)
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    assert "logged" in body["detail"]
    assert "boom" not in response.content.decode()
    [record] = [r for r in django_request_log.records if r.name == "django.request"]  # logged once
    assert record.levelno == logging.ERROR
    assert record.exc_info[1].args == ("boom in the view",)


@pytest.mark.usefixtures("debug")
def test_pages_outside_the_prefixes_stay_html(client, monkeypatch):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert client.put("/__heartbeat__").status_code == 405
    assert "json" not in client.put("/__heartbeat__").get("Content-Type", "")

    def broken(*args, **kwargs):
        raise RuntimeError("boom in a page")

    monkeypatch.setattr("people.portal.web.views.render", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.usefixtures("debug")
def test_a_csrf_refusal_under_the_api_is_json():
    """`logout/` is a plain Django view: without its CSRF token the refusal is still JSON."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1.0/logout/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "csrf_failed"
    assert "X-CSRFToken" in body["detail"]


@pytest.mark.usefixtures("debug")
def test_a_csrf_refusal_elsewhere_stays_a_page():
    response = Client(enforce_csrf_checks=True).post("/dev/login/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
