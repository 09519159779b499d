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
