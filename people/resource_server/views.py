"""Our public encryption key(s), for the provider to encrypt introspection responses to us."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from people.oidc import keys


@require_safe
def jwks(request) -> HttpResponse:
    """The JWK Set built once per process (see keys.py): no parsing, no database, no session.

    With no key configured the set is empty: only the plain JSON introspection format works then.
    """
    response = HttpResponse(keys.get_key_ring().jwks_json, content_type="application/json")
    response["Cache-Control"] = "public, max-age=300"
    return response
