from rest_framework import authentication

from people.core import audit
from people.core.models import Audience


class SessionAuthentication(authentication.SessionAuthentication):
    """Django session (browser). Answers 401 with a challenge, not DRF's 403, when missing."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            audit.set_context(Audience.USER)
        return result

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
