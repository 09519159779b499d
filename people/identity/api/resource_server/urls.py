from django.urls import path

from people.identity.api.resource_server import views

urlpatterns = [
    path("users/me/", views.UserMeView.as_view(), name="resource-server-users-me"),
]
