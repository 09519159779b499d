"""Mounted at the root by config/urls.py (no namespace: `account`, `organization`)."""

from django.urls import path

from people.identity.web import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("organization/", views.organization, name="organization"),
]
