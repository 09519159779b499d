from django.urls import path

from people.portal.api.client import views

# Included before identity's router, whose `users/{id}/` would otherwise take `me`.
urlpatterns = [
    path("users/me/", views.UserMeView.as_view(), name="users-me"),
]
