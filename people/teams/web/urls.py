"""Mounted at `teams/` by config/urls.py. Ids are UUIDs: any other value is the 404 page."""

from django.urls import path

from people.teams.web import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.team_create, name="create"),
    path("<uuid:team_id>/", views.team_detail, name="detail"),
    path("<uuid:team_id>/members/add/", views.member_add, name="member-add"),
    path("<uuid:team_id>/members/<uuid:access_id>/remove/", views.member_remove, name="member-remove"),
    path("<uuid:team_id>/invitations/", views.invitation_list, name="invitations"),
    path("<uuid:team_id>/invitations/<uuid:invitation_id>/cancel/", views.invitation_cancel, name="invitation-cancel"),
    path("<uuid:team_id>/sub-teams/", views.subteam_list, name="subteams"),
    path("<uuid:team_id>/settings/", views.team_settings, name="settings"),
    path("<uuid:team_id>/delete/", views.team_delete, name="delete"),
]
