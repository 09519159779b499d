"""The OpenAPI schema and Swagger UI, published only when PEOPLE_API_DOCS is on (default: in
development): a production service need not map its whole API for anyone who asks.

Swagger UI's start-up script is its own request (`?script`) and its assets are ours
(drf-spectacular-sidecar), so that the page runs under a Content-Security-Policy of 'self'.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class PublishedOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not settings.API_DOCS:
            return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
        return super().dispatch(request, *args, **kwargs)


class SchemaView(PublishedOnlyMixin, SpectacularAPIView):
    pass


class SwaggerView(PublishedOnlyMixin, SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"
