"""Template helpers of the pages: `{% load people_web %}`."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def hidden_params(request: HttpRequest, names: str = "ordering") -> str:
    """Hidden inputs carrying the URL parameters `names` (comma-separated) that the request has,
    so that a GET form (a search) keeps them."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    pairs = [(name, value) for name in wanted for value in request.GET.getlist(name)]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs) if pairs else ""

