"""Fuzz every operation of the OpenAPI schema: whatever the input, never a server error.

The schema is read from `/api/v1.0/schema/` through the WSGI application when the test runs,
so operations added later are fuzzed without touching this file (and a schema that fails to
build fails this test, not the collection of the suite). Requests carry a signed-in session
(with its CSRF token) of a user who owns a team and has contacts, so that they get past
authentication and reach the views. Inputs that fit the schema and inputs that do not are
both generated; examples are few and derandomized to keep the run short and repeatable.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from config.wsgi import application
from people.teams.models import TeamRole
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1.0/schema/"
MAX_EXAMPLES = 30
CSRF_SECRET = "f" * 32  # any 32-character secret: the header and the cookie only have to match
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
    # No shrinking: the first failing input is reported as is, and a broken endpoint cannot
    # stretch the run to minutes.
    phases=[Phase.explicit, Phase.generate],
)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Calls go straight to the WSGI application, whose request signals close a database
    connection found inside a transaction: that would close the test's own. Django's test
    client detaches the same handler for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@dataclass
class World:
    """A signed-in session, and ids of objects it can see, by the URL segment naming them."""

    credentials: dict[str, dict[str, str]]
    ids: dict[str, str]

    def real_path_parameters(self, path: str, parameters: dict[str, Any]) -> dict[str, Any]:
        """`{team_id}` is a team; `{id}` is an object of the collection just before it."""
        segments = path.strip("/").split("/")
        real = dict(parameters)
        for position, segment in enumerate(segments):
            if not (segment.startswith("{") and segment.endswith("}")):
                continue
            name = segment[1:-1]
            kind = name.removesuffix("_id") + "s" if name != "id" else segments[position - 1]
            if kind in self.ids:
                real[name] = self.ids[kind]
        return real


@pytest.fixture
def world() -> World:
    user = factories.UserFactory(email="fuzz@example.gouv.fr")
    team = factories.TeamFactory(organization=user.organization, users=[(user, TeamRole.OWNER)])
    colleague = factories.UserFactory(organization=user.organization)
    access = factories.TeamAccessFactory(team=team, user=colleague)
    invitation = factories.InvitationFactory(team=team, issuer=user)
    contact = factories.ContactFactory(owner=user)
    provider = factories.ServiceProviderFactory()
    user.organization.service_providers.add(provider)
    client = Client()
    client.force_login(user)
    return World(
        credentials={
            "headers": {"X-CSRFToken": CSRF_SECRET},
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET},
        },
        ids={
            "teams": str(team.pk), "accesses": str(access.pk), "invitations": str(invitation.pk),
            "contacts": str(contact.pk), "users": str(user.pk), "organizations": str(user.organization_id),
            "service-providers": str(provider.pk),
        },
    )


def describe(case: Any, status: int) -> str:
    body = "" if case.body is None or type(case.body).__name__ == "NotSet" else f" body={case.body!r:.300}"
    query = f" query={case.query!r:.200}" if case.query else ""
    return f"{case.method} {case.formatted_path}{query}{body} -> {status}"


def fuzz(operation: Any, world: World) -> str | None:
    """The smallest input found that makes `operation` answer 5xx, or None.

    Half the examples address objects that exist (random UUIDs only ever reach 404s). Each
    call runs in a savepoint rolled back afterwards, so a DELETE leaves the objects in place
    for the next examples.
    """
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    with contextlib.suppress(Exception):  # some operations have nothing to negate
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    found: list[str] = []

    @FUZZ_SETTINGS
    @given(case=st.one_of(strategies), use_real_ids=st.booleans())
    def run(case: Any, use_real_ids: bool) -> None:
        if use_real_ids and case.path_parameters:
            case.path_parameters = world.real_path_parameters(operation.path, case.path_parameters)
        with transaction.atomic():
            response = case.call(**world.credentials)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            found.append(describe(case, response.status_code))
            raise AssertionError(found[-1])

    try:
        run()
    except AssertionError:
        return found[0]
    return None


def test_schema_is_served():
    response = Client().get(SCHEMA_PATH, {"format": "json"})
    assert response.status_code == 200
    assert response.json()["paths"]


def test_no_server_error(world):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = getattr(result, "ok", None)
        if operation is None:
            failures.append(f"invalid schema: {result.err()}")
            continue
        operations += 1
        failure = fuzz(operation(), world)
        if failure:
            failures.append(failure)
    assert operations > 0
    assert not failures, "server errors:\n" + "\n".join(failures)
