"""The team tree's materialised paths (see Team): computing a new team's place."""

from __future__ import annotations

from django.db import IntegrityError, connections, transaction
from django.db.models import Max

from people.teams.models import PATH_STEP, Team, path_segment, path_segment_number

__all__ = ["PATH_STEP", "next_path", "place_and_save"]

# PostgreSQL advisory lock key of the top level's path sequence (a constant of People's own).
ROOT_PATHS_LOCK = 0x7065_6F70_6C65_0001


def lock_siblings(parent: Team | None) -> bool:
    """Serialize the allocation of paths under `parent` until the end of the transaction;
    True when it did (PostgreSQL).

    Two teams created at once under the same parent would otherwise both read the same last
    sibling and claim the same path. Children lock their parent's row; top-level teams share
    one sequence across organizations, with no row to lock, so PostgreSQL takes a transaction
    advisory lock instead. SQLite takes its write lock only at the insert, after the read of
    the last sibling: there a collision is retried.
    """
    connection = connections[Team.objects.db]
    if connection.vendor != "postgresql":
        return False
    if parent is not None:
        list(Team.objects.select_for_update().filter(pk=parent.pk).values_list("pk", flat=True))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROOT_PATHS_LOCK])
    return True


def next_path(parent: Team | None) -> str:
    """The path after the last sibling's under `parent` (a root when None)."""
    prefix = parent.path if parent is not None else ""
    siblings = Team.objects.filter(depth=len(prefix) // PATH_STEP + 1, path__startswith=prefix)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = path_segment_number(last[-PATH_STEP:]) + 1 if last else 0
    return prefix + path_segment(number)


@transaction.atomic(savepoint=False)  # its own savepoint is the insert's, for the retry
def place_and_save(team: Team, *, attempts: int = 5) -> Team:
    """Give a new team its path under `team.parent` and insert it.

    The siblings' lock (held until the caller's transaction ends) makes concurrent creations
    wait for each other, and the insert needs no savepoint; without it (SQLite) a collision is
    retried with the next path.
    """
    if lock_siblings(team.parent):
        team.path = next_path(team.parent)
        team.depth = len(team.path) // PATH_STEP
        team.save(force_insert=True)
        return team
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
