"""Query parameters shared by the lists: one `q` rule for every search, one `ordering`
parameter, parsed by one function (`list_params`) for every list of every app.

A `q` longer than `SEARCH_MAX_LENGTH` is refused with a 400 naming `q` and the limit, on every
list that searches, rather than cut silently: a caller whose search was cut would read an
answer to a question they did not ask. The limit fits a whole e-mail address (RFC 5321).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

SEARCH_MAX_LENGTH = 254


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=f"Accent- and case-insensitive search (at most {SEARCH_MAX_LENGTH} characters)",
    )


class OrderingField(serializers.CharField):
    """Any text: it is split into names matched against a list's own, never stored or searched,
    so nothing in it (length, NUL characters) needs refusing."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = []


class OrderingQuerySerializer(serializers.Serializer):
    """Field names are matched against each list's own (`people.core.ordering`); unknown ones
    are ignored, as the contract asks, whatever their length: only known names ever reach the
    database."""

    ordering = OrderingField(required=False, allow_blank=True, trim_whitespace=False)


class SearchOrderingQuerySerializer(SearchQuerySerializer, OrderingQuerySerializer):
    pass


def list_params(request, serializer_class: type[serializers.Serializer] = SearchQuerySerializer) -> dict:
    """A list's query parameters, or a 400 naming the one that breaks its rule."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# How the lists document `page_size` and `ordering` (the pagination's own parameters aside).
PAGE_SIZE_PARAMETER = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1},
    description="Rows per page (default 20, at most 100)",
)


def ordering_parameter(fields: tuple[str, ...], default: str) -> OpenApiParameter:
    return OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description=f"Comma-separated fields among {', '.join(fields)} (prefix `-` to reverse); default `{default}`",
    )
