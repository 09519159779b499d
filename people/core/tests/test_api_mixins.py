"""PUT and PATCH of every service-backed viewset reach one update path."""

from __future__ import annotations

from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from people.core.api.mixins import ServiceUpdateMixin


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
