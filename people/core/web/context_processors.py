"""What the layout needs on every page, computed without SQL."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_info

SERVICE_NAME = "People"


def _languages() -> list[dict[str, str]]:
    current = get_language()
    return [
        {
            "code": code,
            # Each language is offered in its own name, so that a reader of either finds theirs.
            "name": get_language_info(code)["name_local"].capitalize(),
            "lang": code.split("-")[0],
            "current": code == current,
        }
        for code, _label in settings.LANGUAGES
    ]


def layout(request: HttpRequest) -> dict:
    return {
        "SERVICE_NAME": SERVICE_NAME,
        "web_languages": _languages(),
        "html_lang": (get_language() or settings.LANGUAGE_CODE).split("-")[0],
        "dev_login_enabled": settings.PEOPLE_DEV_LOGIN,
    }
