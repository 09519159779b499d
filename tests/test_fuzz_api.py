"""Fuzz the whole OpenAPI schema against a real HTTP server, with every schemathesis check.

The schema is fetched from the live test server (`/api/v1.0/schema/`), so operations added later
are fuzzed without touching this file. Requests are signed in as the schema declares it: the
`sessionid` cookie, plus the CSRF cookie and header that session authentication requires on
unsafe methods. Two phases, each with a bounded number of examples (`FUZZ_EXAMPLES`, more with
`make fuzz`):

- every operation alone, with inputs that fit the schema and inputs that do not; half of them
  address objects that exist, since random ids only ever reach 404s;
- the stateful phase: sequences of calls chained by the links schemathesis infers from the
  schema (a created object's id fed to the operations that take one).

Every check runs: no server error, status codes, content types, headers and bodies as
documented, valid input accepted, invalid input refused, deleted objects gone...
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from people.contacts.models import Contact
from people.identity.models import ServiceProvider, User
from people.mail.models import (
    Alias,
    Mailbox,
    MailDomain,
    MailDomainAccess,
    MailDomainInvitation,
    MailDomainRole,
)
from people.teams.models import Invitation, Team, TeamAccess, TeamRole, TeamWebhook
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMA_PATH = "/api/v1.0/schema/"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
CSRF_SECRET = "f" * 32  # any 32-character secret: the header and the cookie only have to match
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
    # No shrinking: the first failing input is reported as is, and a broken endpoint cannot
    # stretch the run to minutes.
    phases=[Phase.explicit, Phase.generate],
)
STATEFUL_SETTINGS = settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 2, 3), stateful_step_count=6)


@dataclass
class World:
    """A signed-in session, and objects it can see, recreated when a DELETE removed them."""

    user: User
    session_key: str
    credentials: dict[str, dict[str, str]]
    objects: dict[str, Any]

    @classmethod
    def create(cls) -> World:
        user = factories.UserFactory(email="fuzz@example.gouv.fr")
        provider = factories.ServiceProviderFactory()
        user.organization.service_providers.add(provider)
        client = Client()
        client.force_login(user)
        world = cls(
            user=user,
            session_key=client.cookies["sessionid"].value,
            # Session authentication checks CSRF on unsafe methods: the cookie and header must match.
            credentials={"headers": {"X-CSRFToken": CSRF_SECRET}, "cookies": {"csrftoken": CSRF_SECRET}},
            objects={"users": user, "organizations": user.organization, "service-providers": provider},
        )
        world.restore()
        return world

    def restore(self) -> None:
        """The team the user owns, with a member, an invitation, a webhook, and the user's own contact."""
        team = self.objects.get("teams")
        if team is None or not Team.objects.filter(pk=team.pk).exists():
            team = factories.TeamFactory(organization=self.user.organization, users=[(self.user, TeamRole.OWNER)])
            self.objects["teams"] = team
        elif not TeamAccess.objects.filter(team=team, user=self.user, role=TeamRole.OWNER).exists():
            TeamAccess.objects.update_or_create(team=team, user=self.user, defaults={"role": TeamRole.OWNER})
        access = self.objects.get("accesses")
        if access is None or not TeamAccess.objects.filter(pk=access.pk, team=team).exists():
            self.objects["accesses"] = factories.TeamAccessFactory(
                team=team, user=factories.UserFactory(organization=self.user.organization)
            )
        invitation = self.objects.get("invitations")
        if invitation is None or not Invitation.objects.filter(pk=invitation.pk, team=team).exists():
            self.objects["invitations"] = factories.InvitationFactory(team=team, issuer=self.user)
        webhook = self.objects.get("webhooks")
        if webhook is None or not TeamWebhook.objects.filter(pk=webhook.pk, team=team).exists():
            self.objects["webhooks"] = TeamWebhook.objects.create(
                team=team, url="https://service.example.test/scim/v2", secret="token"
            )
        contact = self.objects.get("contacts")
        if contact is None or not Contact.objects.filter(pk=contact.pk).exists():
            self.objects["contacts"] = factories.ContactFactory(owner=self.user)
        if not ServiceProvider.objects.filter(pk=self.objects["service-providers"].pk).exists():
            self.objects["service-providers"] = factories.ServiceProviderFactory()
            self.user.organization.service_providers.add(self.objects["service-providers"])
        self.restore_mail()

    def restore_mail(self) -> None:
        """A mail domain the user owns, with a colleague's access, an invitation, a mailbox
        and an alias (collections under `mail-domains/` are keyed `mail-<name>`)."""
        domain = self.objects.get("mail-domains")
        if domain is None or not MailDomain.objects.filter(pk=domain.pk).exists():
            domain = factories.MailDomainFactory(organization=self.user.organization, name="fuzz.example.fr")
            self.objects["mail-domains"] = domain
        MailDomainAccess.objects.update_or_create(domain=domain, user=self.user, defaults={"role": MailDomainRole.OWNER})
        for kind, model, factory in (
            ("mail-accesses", MailDomainAccess, lambda: factories.MailDomainAccessFactory(
                domain=domain, user=factories.UserFactory(organization=self.user.organization))),
            ("mail-invitations", MailDomainInvitation, lambda: factories.MailDomainInvitationFactory(domain=domain)),
            ("mail-mailboxes", Mailbox, lambda: factories.MailboxFactory(domain=domain)),
            ("mail-aliases", Alias, lambda: factories.AliasFactory(domain=domain)),
        ):
            current = self.objects.get(kind)
            if current is None or not model.objects.filter(pk=current.pk, domain=domain).exclude(
                **({"status": "deleting"} if model is Alias else {})
            ).exists():
                self.objects[kind] = factory()

    def real_path_parameters(self, path: str, parameters: dict[str, Any]) -> dict[str, Any]:
        """`{team_id}` is a team, `{slug}` and `{domain_slug}` the mail domain; `{id}` is an
        object of the collection just before it (`mail-<collection>` under a mail domain)."""
        segments = path.strip("/").split("/")
        real = dict(parameters)
        for position, segment in enumerate(segments):
            if not (segment.startswith("{") and segment.endswith("}")):
                continue
            name = segment[1:-1]
            if name in ("slug", "domain_slug"):
                real[name] = self.objects["mail-domains"].slug
                continue
            kind = name.removesuffix("_id") + "s" if name != "id" else segments[position - 1]
            if "mail-domains" in segments and name == "id":
                kind = f"mail-{kind}"
            if kind in self.objects:
                real[name] = str(self.objects[kind].pk)
        return real


# Fields whose valid values depend on what the server holds (objects the caller may see, users,
# the time zone database): a schema cannot enumerate them, so a 400 naming only these fields is the
# right answer to input that fits the schema. Same for rules about the objects' state.
STATE_DEPENDENT_FIELDS = {"parent", "user", "override", "timezone", "service_providers"}
STATE_RULE_CODES = {
    "already_member", "already_invited", "already_exists", "last_owner", "no_organization", "domain_disabled",
    "secondary_email_required", "mailbox_not_ready",
}


def refused_for_state(response: requests.Response) -> bool:
    if response.status_code != 400:
        return False
    body = response.json()
    if "detail" in body:
        return body.get("code") in STATE_RULE_CODES
    return set(body) <= STATE_DEPENDENT_FIELDS


def describe(case: Any, response: requests.Response | None) -> str:
    body = "" if case.body is None or type(case.body).__name__ == "NotSet" else f" body={case.body!r:.300}"
    query = f" query={case.query!r:.200}" if case.query else ""
    answer = f" -> {response.status_code} {response.text[:300]!r}" if response is not None else ""
    return f"{case.method} {case.formatted_path}{query}{body}{answer}"


class Findings:
    """Failures of the checks, less refusals that depend on the server's state; one per operation and check."""

    def __init__(self) -> None:
        self.reports: dict[tuple[str, str], str] = {}

    def validate(self, case: Any, response: requests.Response, **kwargs: Any) -> None:
        try:
            case.validate_response(response, **kwargs)
        except FailureGroup as group:
            for failure in group.exceptions:
                if type(failure).__name__ == "RejectedPositiveData" and refused_for_state(response):
                    continue
                key = (case.operation.label, type(failure).__name__)
                self.reports.setdefault(key, f"{failure.title}: {describe(case, response)}\n{failure.message[:600]}")

    def report(self) -> str:
        return "\n\n".join(self.reports.values())


@pytest.fixture
def world(mail_platform) -> World:
    """The world; the mail app's jobs reach a fake of the mail platform (the fixture is the
    root conftest's)."""
    return World.create()


@pytest.fixture
def schema(live_server, world):
    """The served schema, signed in through its `sessionAuth` scheme (the `sessionid` cookie)."""
    config = SchemathesisConfig.from_dict({
        "base-url": live_server.url,
        "headers": world.credentials["headers"],
        "auth": {"openapi": {"sessionAuth": {"api_key": world.session_key}}},
        # Every text field refuses NUL characters with a 400 (PostgreSQL cannot store them),
        # which a schema could only say with a pattern on each of them.
        "generation": {"allow-x00": False},
    })
    return schemathesis.openapi.from_url(f"{live_server.url}{SCHEMA_PATH}", config=config)


def fuzz_operation(operation: Any, world: World, base_url: str, findings: Findings) -> None:
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if operation.method.upper() != "GET" or operation.path_parameters or operation.query:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))

    @FUZZ_SETTINGS
    @given(case=st.one_of(strategies), use_real_ids=st.booleans())
    def run(case: Any, use_real_ids: bool) -> None:
        if use_real_ids and case.path_parameters and case.meta.generation.mode.is_positive:
            case.path_parameters = world.real_path_parameters(operation.path, case.path_parameters)
        response = case.call(base_url=base_url, **world.credentials)
        findings.validate(case, response, headers=world.credentials["headers"])
        if case.method.upper() == "DELETE":
            world.restore()

    run()


def test_every_operation(schema, world, live_server):
    findings, operations = Findings(), 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        fuzz_operation(operation, world, live_server.url, findings)
    assert operations >= 40
    assert not findings.reports, f"{len(findings.reports)} failures:\n\n{findings.report()}"


def test_stateful(schema, world, live_server):
    findings = Findings()

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, **world.credentials}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            findings.validate(case, response, recorder=self.recorder, transport_kwargs=kwargs or None)

    Workflow.run(settings=STATEFUL_SETTINGS)
    assert not findings.reports, f"{len(findings.reports)} failures:\n\n{findings.report()}"
