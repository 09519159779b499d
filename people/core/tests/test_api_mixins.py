"""Shared API pieces: PUT and PATCH reach one update path; a value computed by the view is
shown as is."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from people.core.api.mixins import ServiceUpdateMixin
from people.core.api.serializers import ContextField


class _Recorder(ServiceUpdateMixin):
    def perform_service_update(self, request, *, partial, **kwargs):
        return Response({"partial": partial, **kwargs})


def test_put_is_a_full_update_with_the_route_arguments():
    request = APIRequestFactory().put("/x/")
    response = _Recorder().update(request, team_id="t", pk="p")
    assert response.data == {"partial": False, "team_id": "t", "pk": "p"}


def test_patch_is_a_partial_update_with_the_route_arguments():
    request = APIRequestFactory().patch("/x/")
    response = _Recorder().partial_update(request, pk="p")
    assert response.data == {"partial": True, "pk": "p"}


def test_context_field_shows_the_value_the_view_computed_without_reading_the_row():
    class Shape(serializers.Serializer):
        name = serializers.CharField()
        note = ContextField(str)

    rows = [{"name": "a"}, {"name": "b"}]
    data = Shape(rows, many=True, context={"note": "computed once"}).data
    assert [dict(row) for row in data] == [
        {"name": "a", "note": "computed once"},
        {"name": "b", "note": "computed once"},
    ]
    written = Shape(data={"name": "c", "note": "forged"})
    assert written.is_valid()
    assert written.validated_data == {"name": "c"}  # read only: a body cannot set it
