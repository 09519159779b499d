"""Service tokens open only the views on the allow-list (`ResourceServerViewMixin`).

Walks every route of the URL conf, so that endpoints added later are covered without editing
this file: outside the allow-list, a request carrying a valid service token must be answered
as the same request without it, or refused (401): never more than an anonymous caller gets.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework.views import APIView

from people.resource_server.authentication import is_open_to_services
from tests.factories import InvitationFactory, ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
LEFTOVER_REGEX = re.compile(r"[()*+?\[\]|{}]")


def _view_class(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def _concrete(part: str, values: dict[str, str], is_regex: bool) -> str | None:
    """A real path for one piece of a route, or None when it cannot be filled in."""
    if is_regex:
        part = part.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        part = NAMED_GROUP.sub(lambda match: values.get(match.group(1), "x"), part)
        part = part.replace("\\", "")
    else:
        part = ROUTE_PARAM.sub(lambda match: values.get(match.group(2), "x"), part)
    if LEFTOVER_REGEX.search(part):
        return None
    return part


def walk(values: dict[str, str]):
    """(path, view class or None, callback) for every route; the id-like parameters get `values`."""

    def _walk(resolver, prefix: str):
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            is_regex = not hasattr(pattern, "_route")
            raw = pattern._route if not is_regex else pattern._regex
            if "format" in raw:
                continue
            part = _concrete(raw, values, is_regex)
            if part is None:
                continue
            if isinstance(entry, URLResolver):
                yield from _walk(entry, prefix + part)
            elif isinstance(entry, URLPattern):
                yield prefix + part, _view_class(entry.callback), entry.callback

    yield from _walk(get_resolver(), "/")


@pytest.fixture
def world(service):
    """A user with a team of the calling service, and ids to put into every route."""
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[(user, "owner")], is_visible_all_services=True)
    team.service_providers.add(ServiceProviderFactory(audience_id="service-a"))
    invitation = InvitationFactory(team=team)
    token_client = service.client_for(user)
    ids = {"team_id": str(team.pk), "pk": str(team.pk), "id": str(team.pk), "object_id": str(user.pk)}
    return token_client, ids, invitation


def test_every_route_outside_the_allow_list_ignores_service_tokens(world, service):
    token_client, ids, _invitation = world
    anonymous = APIClient()
    checked = 0
    for path, view_class, _callback in walk(ids):
        if is_open_to_services(view_class):
            continue
        drf = view_class is not None and issubclass(view_class, APIView)
        for method in METHODS if drf else ("get",):
            expected = getattr(anonymous, method)(path).status_code
            got = getattr(token_client, method)(path).status_code
            # Either the token is ignored, or refused: it never gets more than anonymity.
            assert got in (expected, 401), f"{method.upper()} {path}: {got} with a service token, {expected} without"
            checked += 1
    assert checked > 20


def test_resource_server_routes_are_all_on_the_allow_list_or_public():
    public = {"/resource-server/v1.0/jwks"}
    paths = [(path, view_class) for path, view_class, _ in walk({}) if path.startswith("/resource-server/")]
    assert len(paths) >= 5
    for path, view_class in paths:
        opened = is_open_to_services(view_class) or getattr(view_class, "open_to_account_services", False)
        assert path in public or opened, path


def test_allow_listed_routes_refuse_sessions(world, service):
    _token_client, ids, _invitation = world
    from people.identity.models import User

    session_client = APIClient()
    session_client.force_login(User.objects.get(sub="agent-1"))
    opened = [path for path, view_class, _ in walk(ids) if is_open_to_services(view_class)]
    assert opened
    for path in opened:
        assert session_client.get(path).status_code == 401, path
