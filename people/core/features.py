"""Feature switches as the clients see them (`config/`, `users/me/` abilities).

A switch is on when its setting (`FEATURE_*`) is on and this deployment serves the feature:
a switch whose endpoints do not exist would send the clients to routes that answer 404. The
mail feature (mail domains, mailboxes) is served once its app, `people.mail`, is installed.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

# Switch → the app that serves its feature; switches not listed are served by the core apps.
SERVED_BY: dict[str, str] = {"MAILBOXES_CREATE": "people.mail"}


def feature_served(name: str) -> bool:
    app = SERVED_BY.get(name)
    return app is None or apps.is_installed(app)


def feature_enabled(name: str) -> bool:
    return bool(settings.FEATURES.get(name)) and feature_served(name)


def features() -> dict[str, bool]:
    return {name: feature_enabled(name) for name in settings.FEATURES}
