"""Accent- and case-insensitive search, the same on PostgreSQL and SQLite.

Searchable models keep a `search_text` column: the normalized concatenation of the fields a
`q` parameter searches. A query is normalized the same way and matched with a plain `LIKE
'%term%'` on that column, which a trigram index serves on PostgreSQL (see the migrations).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db.models import F, Func, Q, QuerySet, TextField
from django.db.models.lookups import Contains


def normalize(text: str | None) -> str:
    """Lower case, accents stripped, white space folded: `"  Élodie  DURAND"` → `"elodie durand"`."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def build_search_text(values: Iterable[str | None]) -> str:
    return " ".join(part for part in (normalize(value) for value in values) if part)


class _Unindexed(Func):
    """The column as an expression no index matches (`column || ''`): the rows are then read
    through the queryset's other conditions and the text checked on each."""

    template = "(%(expressions)s || '')"
    output_field = TextField()


def search(queryset: QuerySet, query: str | None, field: str = "search_text", *, within_scope: bool = False) -> QuerySet:
    """Keep the rows whose search text contains every word of `query`.

    `within_scope`: the queryset is already narrowed by an index to the caller's rows (the
    users of their organization), and the words are matched on those rows only. Through the
    trigram index, a common word ("mar") reads the entries of every matching row of the table
    (165,000 users of a million, to keep the 160 of one organization): the cost would grow
    with the table, not with the caller's rows.
    """
    words = normalize(query).split()
    if not words:
        return queryset
    condition = Q()
    for word in words[:8]:
        condition &= Contains(_Unindexed(F(field)), word) if within_scope else Q(**{f"{field}__contains": word})
    return queryset.filter(condition)
