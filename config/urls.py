from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from people.core import views as core_views
from people.core.api.docs import SchemaView, SwaggerView

API = "api/v1.0/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("__heartbeat__", core_views.heartbeat, name="heartbeat"),
    path("__lbheartbeat__", core_views.lbheartbeat, name="lbheartbeat"),
    path("__metrics__", core_views.metrics, name="metrics"),
    path(f"{API}schema/", SchemaView.as_view(), name="schema"),
    path(f"{API}swagger/", SwaggerView.as_view(url_name="schema"), name="swagger"),
    path(f"{API}jwks", include("people.resource_server.jwks_urls")),
    path(API, include("people.identity.auth.urls")),
    path(API, include("people.portal.api.client.urls")),
    path(API, include("people.identity.api.client.urls")),
    path(API, include("people.teams.api.client.urls")),
    path(API, include("people.contacts.api.client.urls")),
    path(API, include("people.mail.api.client.urls")),
    path("resource-server/v1.0/", include("people.resource_server.urls")),
    path("scim/v2/", include("people.scim.urls")),
    path("", include("people.portal.web.urls")),
]

# The apps' pages, mounted once each app has them (people/<app>/web/urls.py): URL names
# `teams:list`, `teams:create`, `teams:detail`, `contacts:list`, `account`, `organization`.
WEB_PAGES = [
    ("teams/", "people.teams.web.urls"),
    ("contacts/", "people.contacts.web.urls"),
    ("mail-domains/", "people.mail.web.urls"),
    ("", "people.identity.web.urls"),
]
urlpatterns += [path(prefix, include(module)) for prefix, module in WEB_PAGES if find_spec(module.rpartition(".")[0]) and find_spec(module)]

# Error pages of the design system outside the API (the API's stay JSON).
handler400 = "people.core.web.errors.bad_request"
handler403 = "people.core.web.errors.permission_denied"
handler404 = "people.core.web.errors.page_not_found"
handler500 = "people.core.web.errors.server_error"
