"""Accent- and case-insensitive search, the same on PostgreSQL and SQLite.

Searchable models keep a `search_text` column: the normalized concatenation of the fields a
`q` parameter searches. A query is normalized the same way and matched with a plain `LIKE
'%term%'` on that column, which a trigram index serves on PostgreSQL (see the migrations).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db.models import Q, QuerySet


def normalize(text: str | None) -> str:
    """Lower case, accents stripped, white space folded: `"  Élodie  DURAND"` → `"elodie durand"`."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def build_search_text(values: Iterable[str | None]) -> str:
    return " ".join(part for part in (normalize(value) for value in values) if part)


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Keep the rows whose search text contains every word of `query`."""
    words = normalize(query).split()
    if not words:
        return queryset
    condition = Q()
    for word in words[:8]:
        condition &= Q(**{f"{field}__contains": word})
    return queryset.filter(condition)
