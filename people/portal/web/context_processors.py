"""`abilities` in every template: what the signed-in user may use, as `users/me/` says.

Computed on first use only (the header's navigation, the home page's shortcuts), at most once
per request.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from people.portal.policies import user_abilities


def abilities(request: HttpRequest) -> dict:
    return {"abilities": SimpleLazyObject(lambda: user_abilities(user=request.user))}
