from django.utils.cache import patch_cache_control

from people.core import audit
from people.core.models import Audience


class AuditContextMiddleware:
    """Give each request its own audit context (reset afterwards); the admin acts as operator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        audience = Audience.OPERATOR if request.path.startswith("/admin/") else Audience.USER
        with audit.acting_as(audience):
            return self.get_response(request)


# API answers that are the same for everyone and may be cached: the frontend's configuration,
# our public keys, the API documentation.
PUBLIC_API_VIEWS = frozenset({"config", "jwks", "resource-server-jwks", "schema", "swagger"})
API_PREFIXES = ("/api/", "/resource-server/")


class PrivateApiCacheMiddleware:
    """Every other API answer is about its caller (their account, teams, contacts) or says
    whether they are signed in: no browser or shared cache may keep it (`Cache-Control: no-store`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIXES):
            match = request.resolver_match
            if match is None or match.url_name not in PUBLIC_API_VIEWS:
                patch_cache_control(response, no_store=True)
        return response
