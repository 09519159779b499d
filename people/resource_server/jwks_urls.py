"""`/api/v1.0/jwks`: the same key set as `/resource-server/v1.0/jwks` (providers use either)."""

from django.urls import path

from people.resource_server import views

urlpatterns = [path("", views.jwks, name="jwks")]
