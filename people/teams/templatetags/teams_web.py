"""Template helpers of the team pages: `{% load teams_web %}`."""

from __future__ import annotations

from django import template
from django.utils.text import capfirst

from people.teams.models import TeamRole

register = template.Library()


@register.filter
def role_label(value: str | None) -> str:
    """A role as the reader names it ("Administrateur", "Owner"); empty for no role."""
    return capfirst(TeamRole(value).label) if value in TeamRole.values else ""
