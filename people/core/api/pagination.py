"""How lists are cut into pages, and the lists the suite's clients read whole.

Every list answers the envelope `{"count", "next", "previous", "results"}`, except the teams and
contacts lists of the client API: the suite's web client reads those as a plain array, so they
answer one when the request asks for no page (neither `page` nor `page_size`). That array holds
the caller's visible rows only, and at most `ARRAY_MAX_ROWS` of them: a larger set is cut and
flagged by the `X-Truncated: true` header, and the envelope gives the rest.
"""

from __future__ import annotations

import re

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

ARRAY_MAX_ROWS = 1000
TRUNCATED_HEADER = "X-Truncated"

# Larger numbers mean "past the end" for a page and "the most" for a page size alike.
_HUGE = 10**18
_DIGITS = re.compile(r"[0-9]+")


def _single(request, name: str) -> str | None:
    """The parameter's one value, None when absent. Given twice, it is a 400: which of the two
    values a client meant cannot be guessed."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [_("Give this parameter once.")]})
    return values[0] if values else None


def _positive_integer(raw: str | None, name: str, message) -> int | None:
    """`raw` as an integer ≥ 1, None when absent; anything else (empty included) is a 400."""
    if raw is None:
        return None
    value = (int(raw) if len(raw) < 19 else _HUGE) if _DIGITS.fullmatch(raw) else 0
    if value < 1:
        raise ValidationError({name: [message]})
    return value


class Pagination(PageNumberPagination):
    """1-based pages of 20 by default; `page_size` honoured up to 100 (larger values are clamped).

    A `page` or `page_size` that is not a positive integer is a 400 naming the parameter; a
    page past the end is a 404 "Invalid page.", as in the suite's directory.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_message = _("A page number is an integer of 1 or more (or `last`).")
    page_size_message = _("A page size is an integer of 1 or more (at most 100 rows are sent).")

    def get_page_size(self, request) -> int:
        name = self.page_size_query_param
        size = _positive_integer(_single(request, name), name, self.page_size_message)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = _single(request, self.page_query_param)
        if raw in self.last_page_strings:
            return paginator.num_pages
        return _positive_integer(raw, self.page_query_param, self.page_message) or 1

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        known = getattr(view, "list_count", None)
        if known is not None:  # the view read it already (a team's member count): no COUNT query
            paginator.count = known
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as error:
            raise NotFound(self.invalid_page_message) from error
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Rows per page (default {self.page_size}, at most {self.max_page_size})"
        return parameters


class ArrayUnlessPagedPagination(Pagination):
    """A plain array when the request names neither `page` nor `page_size`, else the envelope."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.array = not ({self.page_query_param, self.page_size_query_param} & set(request.query_params))
        if not self.array:
            return super().paginate_queryset(queryset, request, view)
        # One row more than sent tells whether the set was cut, without a count query.
        rows = list(queryset[: ARRAY_MAX_ROWS + 1])
        self.truncated = len(rows) > ARRAY_MAX_ROWS
        return rows[:ARRAY_MAX_ROWS]

    def get_paginated_response(self, data):
        if not self.array:
            return super().get_paginated_response(data)
        response = Response(data)
        if self.truncated:
            response[TRUNCATED_HEADER] = "true"
        return response

    def get_paginated_response_schema(self, schema):
        return {
            "oneOf": [
                {
                    **schema,
                    "description": f"Without `page` and `page_size`: every visible row (at most "
                    f"{ARRAY_MAX_ROWS}; header `{TRUNCATED_HEADER}: true` when more exist).",
                },
                super().get_paginated_response_schema(schema),
            ]
        }
