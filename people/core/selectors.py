"""What every app's selectors share: reading one row by an id that came from outside."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from people.core.errors import NotFound
from people.core.ids import parse_uuid

M = TypeVar("M", bound=Model)


def not_found_message(model: type[Model]) -> str:
    """Django's own words for a missing row, which the suite's clients already read."""
    return f"No {model._meta.object_name} matches the given query."


def get_or_not_found(queryset: QuerySet[M], object_id: Any) -> M:
    """The row of `queryset` (already filtered to what the caller may see) with that id.

    A malformed id, an unknown one and a row the caller may not see are the same `NotFound`,
    with the same message (`not_found_message`), so that an answer never tells a hidden row
    from a missing one.
    """
    pk = parse_uuid(object_id)
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(not_found_message(queryset.model))
    return found
