from django.urls import path

from people.portal.api.resource_server import scim, views

urlpatterns = [
    path("users/me/", views.UserMeView.as_view(), name="resource-server-users-me"),
    path("scim/Me/", scim.ScimMeView.as_view(), name="resource-server-scim-me"),
    path("scim/Me", scim.ScimMeWithoutSlashView.as_view()),
]
