"""Query parameters shared by the lists: one `q` rule for every search.

A `q` longer than `SEARCH_MAX_LENGTH` is refused with a 400 naming `q` and the limit, on every
list that searches, rather than cut silently: a caller whose search was cut would read an
answer to a question they did not ask. The limit fits a whole e-mail address (RFC 5321).
"""

from __future__ import annotations

from rest_framework import serializers

SEARCH_MAX_LENGTH = 254


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=f"Accent- and case-insensitive search (at most {SEARCH_MAX_LENGTH} characters)",
    )


def search_query(text: str) -> str:
    """`text` as a search, or a 400 `{"q": [...]}` when it breaks the rule above."""
    serializer = SearchQuerySerializer(data={"q": text})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("q", "")
