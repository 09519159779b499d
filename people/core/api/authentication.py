from django.utils.functional import LazyObject, empty
from rest_framework import authentication

from people.core import audit
from people.core.middleware import use_user_language
from people.core.models import Audience


def _unwrapped(user):
    """The user itself rather than Django's lazy `request.user` proxy, whose every attribute
    read goes through `__getattribute__`: a list checking rights per row reads it thousands of
    times a request."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


class SessionAuthentication(authentication.SessionAuthentication):
    """Django session (browser). Answers 401 with a challenge, not DRF's 403, when missing."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            audit.set_context(Audience.USER)
            user = _unwrapped(result[0])
            use_user_language(request._request, user)
            return user, result[1]
        return result

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
