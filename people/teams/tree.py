"""The team tree's materialised paths (see Team): computing a new team's place."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from people.teams.models import PATH_STEP, Team, path_segment, path_segment_number

__all__ = ["PATH_STEP", "next_path", "place_and_save"]


def next_path(parent: Team | None) -> str:
    """The path after the last sibling's under `parent` (a root when None)."""
    prefix = parent.path if parent is not None else ""
    siblings = Team.objects.filter(depth=len(prefix) // PATH_STEP + 1, path__startswith=prefix)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = path_segment_number(last[-PATH_STEP:]) + 1 if last else 0
    return prefix + path_segment(number)


def place_and_save(team: Team, *, attempts: int = 5) -> Team:
    """Give a new team its path under `team.parent` and insert it; retry if a sibling won the race."""
    for attempt in range(attempts):
        team.path = next_path(team.parent)
        team.depth = len(team.path) // PATH_STEP
        try:
            with transaction.atomic():
                team.save(force_insert=True)
            return team
        except IntegrityError:
            if attempt == attempts - 1 or not Team.objects.filter(path=team.path).exists():
                raise
    return team
