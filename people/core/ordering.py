"""`ordering` of every list: the same parsing and the same stable order everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet


def apply_ordering(queryset: QuerySet, raw: str | None, *, allowed: Iterable[str], default: list[str]) -> QuerySet:
    """Order by the comma-separated `raw` fields (`-` for descending) that are in `allowed`.

    Unknown fields are ignored, as the contract asks. The primary key is appended so that
    pages never overlap when the chosen fields tie.
    """
    allowed = set(allowed)
    fields = []
    for part in (raw or "").split(","):
        part = part.strip()
        if part.lstrip("-") in allowed and part not in fields:
            fields.append(part)
    return queryset.order_by(*(fields or default), "pk")
