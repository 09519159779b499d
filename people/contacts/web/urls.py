"""Mounted at `contacts/` by config/urls.py."""

from django.urls import path

from people.contacts.web import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("<uuid:pk>/", views.contact_detail, name="detail"),
    path("<uuid:pk>/edit/", views.contact_edit, name="edit"),
    path("<uuid:pk>/override/", views.contact_override, name="override"),
    path("<uuid:pk>/delete/", views.contact_delete, name="delete"),
]
