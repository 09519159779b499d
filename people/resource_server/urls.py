"""Routes under /resource-server/v1.0/: the API the suite's services call for their user."""

from django.urls import include, path

from people.resource_server import views

urlpatterns = [
    path("jwks", views.jwks, name="resource-server-jwks"),
    path("", include("people.portal.api.resource_server.urls")),
    path("", include("people.teams.api.resource_server.urls")),
]
