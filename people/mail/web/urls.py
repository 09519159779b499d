"""Mounted at `mail-domains/` by config/urls.py; a domain by its slug (as the API's paths)."""

from django.urls import path

from people.mail.web import views

app_name = "mail"

urlpatterns = [
    path("", views.domain_list, name="list"),
    path("new/", views.domain_create, name="create"),
    path("<slug:slug>/", views.domain_detail, name="detail"),
    path("<slug:slug>/mailboxes/new/", views.mailbox_create, name="mailbox-create"),
    path("<slug:slug>/mailboxes/<uuid:mailbox_id>/", views.mailbox_edit, name="mailbox-edit"),
    path("<slug:slug>/mailboxes/<uuid:mailbox_id>/<str:action>/", views.mailbox_confirm, name="mailbox-confirm"),
    path("<slug:slug>/aliases/", views.alias_list, name="aliases"),
    path("<slug:slug>/aliases/<uuid:alias_id>/delete/", views.alias_delete, name="alias-delete"),
    path("<slug:slug>/accesses/", views.access_list, name="accesses"),
    path("<slug:slug>/accesses/add/", views.access_add, name="access-add"),
    path("<slug:slug>/accesses/<uuid:access_id>/remove/", views.access_remove, name="access-remove"),
    path("<slug:slug>/invitations/", views.invitation_list, name="invitations"),
    path("<slug:slug>/invitations/<uuid:invitation_id>/cancel/", views.invitation_cancel, name="invitation-cancel"),
]
