from django.urls import path, re_path

from people.scim import views

app_name = "scim"

# With or without a trailing slash: SCIM clients use both.
urlpatterns = [
    re_path(r"^ServiceProviderConfig/?$", views.service_provider_config, name="service-provider-config"),
    re_path(r"^ResourceTypes/?$", views.resource_types, name="resource-types"),
    re_path(r"^ResourceTypes/(?P<pk>[^/]+)/?$", views.resource_types, name="resource-type"),
    re_path(r"^Schemas/?$", views.schemas, name="schemas"),
    re_path(r"^Schemas/(?P<pk>[^/]+)/?$", views.schemas, name="schema"),
    re_path(r"^Users/?$", views.users, name="users"),
    re_path(r"^Users/\.search/?$", views.users_search, name="users-search"),
    re_path(r"^Users/(?P<pk>[^/]+)/?$", views.user_detail, name="user"),
    re_path(r"^Groups/?$", views.groups, name="groups"),
    re_path(r"^Groups/\.search/?$", views.groups_search, name="groups-search"),
    re_path(r"^Groups/(?P<pk>[^/]+)/?$", views.group_detail, name="group"),
    re_path(r"^\.search/?$", views.root_search, name="search"),
    re_path(r"^Bulk/?$", views.bulk, name="bulk"),
    path("", views.not_found, name="root"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="unknown"),
]
