"""`manage.py demo`: a deterministic demo data set, small by default, large on demand.

Every row has an id derived from its index (uuid5), so a second run finds what the first one
wrote and only adds what is missing: running it twice, or with bigger numbers, never
duplicates. Large sets are written with `bulk_create` in batches (search texts, team paths and
organization identifiers computed here, since bulk inserts bypass `save()`); the demo user, the
one to sign in as, is created by `user_create` like any account.

It fills every app, so it lives above them (see `people.portal`).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Model
from django.db.models.functions import Length
from tqdm import tqdm

from people.contacts.models import Contact, contact_search_text
from people.core.models import Audience
from people.core.search import build_search_text
from people.identity.models import (
    IdentifierKind,
    Organization,
    OrganizationAccess,
    OrganizationIdentifier,
    OrganizationRole,
    ServiceProvider,
    User,
    user_search_text,
)
from people.identity.services import user_create
from people.portal.demo_names import email_local_part, french_name
from people.teams.models import (
    PATH_STEP,
    Invitation,
    Team,
    TeamAccess,
    TeamRole,
    path_segment,
    path_segment_number,
)

DEMO_EMAIL = "demo@example.com"
DEMO_NAME = "Demo User"
DEMO_DOMAIN = "example.com"
INVITEE_EMAIL = "invitee@example.com"
NAMESPACE = uuid.UUID("6f1c1a5e-3d1b-5b8e-9a57-2f6f3c0d9e11")
TEAMS_PER_ROOT = 4  # team i is a root when i % 4 == 0, else a child of that root
MEMBERS_PER_TEAM = 4  # first is owner, second administrator, then members
DEMO_OWNED_TEAMS = 3
SERVICE_PROVIDERS = (("Docs", "docs"), ("Visio", "visio"), ("Drive", "drive"))

TEAM_WORDS = ("Budget", "Urbanisme", "Numérique", "Ressources humaines", "Accueil", "Écoles", "Voirie", "Culture")


def demo_id(kind: str, index: Any) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{index}")


def siret(index: int) -> str:
    """A valid (Luhn) 14-digit SIRET derived from `index`, never in La Poste's 356000000 range."""
    prefix = f"9{index:012d}"
    for check in range(10):
        candidate = prefix + str(check)
        total = 0
        for position, digit in enumerate(reversed(candidate)):
            number = int(digit) * (2 if position % 2 else 1)
            total += number - 9 if number > 9 else number
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable: one check digit always fits")


def person_name(kind: str, index: int) -> str:
    return " ".join(french_name(kind, index))


def org_domain(index: int) -> str:
    return DEMO_DOMAIN if index == 0 else f"org{index}.demo.example.com"


def chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


class Command(BaseCommand):
    help = "Load the demo data set (idempotent): demo@example.com, colleagues, teams, contacts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--users", type=int, default=40, help="number of users besides the demo user")
        parser.add_argument("--teams", type=int, default=12, help="number of teams")
        parser.add_argument("--organizations", type=int, default=3, help="number of organizations")
        parser.add_argument(
            "--members", type=int, default=MEMBERS_PER_TEAM,
            help="average members per team (sizes vary around it above the default)",
        )
        parser.add_argument("--contacts", type=int, default=0, help="extra contacts: 1 in 10 base, others owned by users")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per INSERT batch")

    def handle(self, *args: Any, **options: Any) -> None:
        users, teams, organizations = options["users"], options["teams"], options["organizations"]
        contacts, self.members = options["contacts"], options["members"]
        self.batch_size = options["batch_size"]
        if min(users, teams, contacts) < 0 or min(organizations, self.batch_size, self.members) < 1:
            raise CommandError(
                "--users, --teams and --contacts must be >= 0, --organizations, --members and --batch-size >= 1"
            )
        self.progress = tqdm(
            # The raw stream: OutputWrapper would end every redraw with a new line.
            total=organizations + users + teams + contacts, unit="row", file=getattr(self.stderr, "_out", sys.stderr),
            disable=options["verbosity"] < 1, desc="demo",
        )
        try:
            providers = self.service_providers()
            org_ids = self.organizations(organizations, providers)
            self.users(users, org_ids)
            demo = self.demo_user(org_ids[0])
            self.teams(teams, users, org_ids, demo, providers)
            self.contacts(demo)
            self.directory_contacts(contacts, users)
        finally:
            self.progress.close()
        self.analyze()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"demo data ready: {User.objects.count()} users, {Team.objects.count()} teams, "
                f"{Organization.objects.count()} organizations, {TeamAccess.objects.count()} team accesses, "
                f"{Contact.objects.count()} contacts; sign in as {DEMO_EMAIL}"
            )

    # --- helpers ---------------------------------------------------------------------------

    def analyze(self) -> None:
        """Refresh the planner's statistics of the tables just filled, as autovacuum would later:
        until then PostgreSQL plans queries on the loaded data with default guesses (it took a
        sequential scan of 300,000 accesses for the ids of a few teams)."""
        with connection.cursor() as cursor:
            for model in (Organization, User, Team, TeamAccess, Team.service_providers.through, Contact):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"ANALYZE {table}")  # noqa: S608 - table names from the models

    def insert_missing(self, model: type[Model], rows: Sequence[Model]) -> list[Model]:
        """Insert the rows whose primary key is not in the table yet; returns those inserted."""
        existing = set(model._default_manager.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
        missing = [row for row in rows if row.pk not in existing]
        if missing:
            model._default_manager.bulk_create(missing, batch_size=self.batch_size)
        return missing

    # --- steps -----------------------------------------------------------------------------

    def service_providers(self) -> list[ServiceProvider]:
        return [
            ServiceProvider.objects.get_or_create(audience_id=audience, defaults={"name": name})[0]
            for name, audience in SERVICE_PROVIDERS
        ]

    def organizations(self, count: int, providers: list[ServiceProvider]) -> list[uuid.UUID]:
        """Ids of the organizations by index. An identifier already held by an organization
        that is not ours (set up by hand) makes that organization the one used for the index."""
        org_ids: list[uuid.UUID] = []
        for indexes in chunks(count, self.batch_size):
            wanted = {index: (siret(index), org_domain(index)) for index in indexes}
            holders = dict(
                OrganizationIdentifier.objects.filter(
                    value__in=[value for pair in wanted.values() for value in pair]
                ).values_list("value", "organization_id")
            )
            rows, identifiers = [], []
            for index, (registration_id, domain) in wanted.items():
                pk = demo_id("organization", index)
                holder = holders.get(registration_id) or holders.get(domain)
                org_ids.append(holder or pk)
                if holder is not None:
                    continue
                name = "Demo organization" if index == 0 else f"Organization {index}"
                rows.append(Organization(
                    id=pk, name=name, registration_id_list=[registration_id], domain_list=[domain],
                    metadata={},
                ))
                identifiers += [
                    OrganizationIdentifier(organization_id=pk, kind=IdentifierKind.REGISTRATION_ID, value=registration_id),
                    OrganizationIdentifier(organization_id=pk, kind=IdentifierKind.DOMAIN, value=domain),
                ]
            with transaction.atomic():
                self.insert_missing(Organization, rows)
                OrganizationIdentifier.objects.bulk_create(identifiers, batch_size=self.batch_size, ignore_conflicts=True)
            self.progress.update(len(indexes))
        Organization.service_providers.through.objects.bulk_create(
            [Organization.service_providers.through(organization_id=org_ids[0], serviceprovider_id=p.pk) for p in providers],
            ignore_conflicts=True,
        )
        return org_ids

    def users(self, count: int, org_ids: list[uuid.UUID]) -> None:
        """User i works in organization i % len(org_ids), e-mail prenom.nom@<its domain>; the
        second Marie Martin of a domain is marie.martin2@, and so on (counted from index 0, so
        that a user keeps their e-mail when the set grows)."""
        password = make_password(None)  # unusable: demo users sign in through /dev/login/ only
        seen: dict[str, int] = {}
        for indexes in chunks(count, self.batch_size):
            rows = []
            for index in indexes:
                org_index = index % len(org_ids)
                first, last = french_name("user", index)
                name = f"{first} {last}"
                address = f"{email_local_part(first, last)}@{org_domain(org_index)}"
                seen[address] = seen.get(address, 0) + 1
                email = address if seen[address] == 1 else address.replace("@", f"{seen[address]}@")
                rows.append(User(
                    id=demo_id("user", index), email=email, name=name, short_name=name.split()[0],
                    organization_id=org_ids[org_index], password=password, timezone="Europe/Paris",
                    language="fr-fr" if index % 3 else "en-us", search_text=user_search_text(name, email),
                ))
            taken = set(User.objects.filter(email__in=[row.email for row in rows]).values_list("email", flat=True))
            with transaction.atomic():
                self.insert_missing(User, [row for row in rows if row.email not in taken])
            self.progress.update(len(indexes))

    def demo_user(self, org_id: uuid.UUID) -> User:
        demo = User.objects.filter(email=DEMO_EMAIL).first()
        if demo is None:
            # One account, created as any other (profile card, invitations, onboarding); the
            # generated colleagues above are bulk rows for volume, without those steps.
            demo = user_create(
                actor=None, audience=Audience.SYSTEM, id=demo_id("user", "demo"), email=DEMO_EMAIL, name=DEMO_NAME,
                short_name="Demo", organization=Organization.objects.get(pk=org_id), timezone="Europe/Paris",
            )
        OrganizationAccess.objects.get_or_create(
            organization_id=demo.organization_id or org_id, user=demo, defaults={"role": OrganizationRole.ADMIN}
        )
        return demo

    def teams(self, count: int, user_count: int, org_ids: list[uuid.UUID], demo: User,
              providers: list[ServiceProvider]) -> None:
        """Team i belongs to organization i % O; every TEAMS_PER_ROOT-th team is a root, the
        others its children. Members are users of the same organization; the demo user owns
        the first teams of the first organization."""
        org_count = len(org_ids)
        paths: dict[uuid.UUID, str] = dict(
            Team.objects.filter(pk__in=[demo_id("team", i) for i in range(0, count, TEAMS_PER_ROOT)]).values_list("pk", "path")
        )
        next_root = self._next_number("")
        next_child: dict[uuid.UUID, int] = {}
        demo_owned = 0
        for indexes in chunks(count, self.batch_size):
            existing = set(Team.objects.filter(pk__in=[demo_id("team", i) for i in indexes]).values_list("pk", flat=True))
            rows, accesses, links = [], [], []
            for index in indexes:
                pk = demo_id("team", index)
                root_index = index - index % TEAMS_PER_ROOT
                root_pk = demo_id("team", root_index)
                org_index = root_index % org_count
                if pk not in existing:
                    if index == root_index:
                        path, parent_id = path_segment(next_root), None
                        next_root += 1
                    else:
                        if root_pk not in next_child:
                            next_child[root_pk] = self._next_number(paths[root_pk])
                        path, parent_id = paths[root_pk] + path_segment(next_child[root_pk]), root_pk
                        next_child[root_pk] += 1
                    paths[pk] = path
                    name = f"{TEAM_WORDS[index % len(TEAM_WORDS)]} {index}"
                    rows.append(Team(
                        id=pk, name=name, organization_id=org_ids[org_index], parent_id=parent_id, path=path,
                        depth=len(path) // PATH_STEP, is_visible_all_services=index % 2 == 0,
                        external_id=demo_id("team-external", index), search_text=build_search_text([name]),
                    ))
                    links.append(Team.service_providers.through(team_id=pk, serviceprovider_id=providers[index % len(providers)].pk))
                accesses += self._team_members(pk, index, org_index, org_count, user_count)
                if org_index == 0 and demo_owned < DEMO_OWNED_TEAMS:
                    accesses.append(TeamAccess(team_id=pk, user_id=demo.pk, role=TeamRole.OWNER))
                    demo_owned += 1
            with transaction.atomic():
                Team.objects.bulk_create(rows, batch_size=self.batch_size)
                Team.service_providers.through.objects.bulk_create(links, ignore_conflicts=True)
                self._insert_accesses(accesses)
            self.progress.update(len(indexes))
        first_demo_team = TeamAccess.objects.filter(user=demo, role=TeamRole.OWNER).order_by("team__path").first()
        if first_demo_team is not None:
            Invitation.objects.get_or_create(
                email=INVITEE_EMAIL, team_id=first_demo_team.team_id,
                defaults={"role": TeamRole.MEMBER, "issuer": demo},
            )

    def _next_number(self, prefix: str) -> int:
        """The first free sibling number under `prefix` (teams made by hand may be there)."""
        last = (
            Team.objects.filter(path__startswith=prefix)
            .annotate(length=Length("path")).filter(length=len(prefix) + PATH_STEP)
            .aggregate(last=Max("path"))["last"]
        )
        return path_segment_number(last[-PATH_STEP:]) + 1 if last else 0

    def _team_members(self, team_pk: uuid.UUID, index: int, org_index: int, org_count: int,
                      user_count: int) -> list[TeamAccess]:
        per_org = len(range(org_index, user_count, org_count))
        if per_org == 0:
            return []
        size = self.members
        if size > MEMBERS_PER_TEAM:  # sizes from half to one and a half times the average
            size = size // 2 + (index * 7919) % (size + 1)
        roles = [TeamRole.OWNER, TeamRole.ADMIN][:size] + [TeamRole.MEMBER] * (size - 2)
        picked = {}
        for offset, role in enumerate(roles):
            slot = (index * self.members + offset) % per_org
            picked.setdefault(org_index + slot * org_count, role)
        return [TeamAccess(team_id=team_pk, user_id=demo_id("user", user), role=role) for user, role in picked.items()]

    def _insert_accesses(self, accesses: list[TeamAccess]) -> None:
        """Accesses of users that exist (an e-mail taken by a hand-made account skips that user)."""
        known = set(User.objects.filter(pk__in={a.user_id for a in accesses}).values_list("pk", flat=True))
        TeamAccess.objects.bulk_create(
            [a for a in accesses if a.user_id in known], batch_size=self.batch_size, ignore_conflicts=True
        )

    def contacts(self, demo: User) -> None:
        """Two base contacts of the directory, the demo user's override of one, and own contacts."""
        people = [("Accueil de la mairie", "Accueil", "accueil@example.com"), ("Standard préfecture", None, "standard@example.com")]
        rows = [
            Contact(id=demo_id("contact-base", i), full_name=full, short_name=short,
                    data={"emails": [{"type": "Work", "value": email}]},
                    search_text=contact_search_text(full, short, {"emails": [{"value": email}]}))
            for i, (full, short, email) in enumerate(people)
        ]
        for i in range(5):
            full, email = person_name("contact", i), f"contact{i}@example.org"
            data = {"emails": [{"type": "Work", "value": email}], "phones": [{"type": "Mobile", "value": f"+33 6 00 00 00 0{i}"}]}
            rows.append(Contact(id=demo_id("contact-own", i), owner=demo, full_name=full, short_name=full.split()[0],
                                data=data, search_text=contact_search_text(full, full.split()[0], data)))
        full = "Accueil (mon numéro direct)"
        rows.append(Contact(id=demo_id("contact-override", 0), owner=demo, override_id=rows[0].pk, full_name=full,
                            short_name="Accueil", data={}, search_text=contact_search_text(full, "Accueil", {})))
        with transaction.atomic():
            self.insert_missing(Contact, rows)

    def directory_contacts(self, count: int, user_count: int) -> None:
        """Contact i is a base contact of the directory when i % 10 == 0, else owned by user
        i % users (users missing because their e-mail was taken are skipped)."""
        for indexes in chunks(count, self.batch_size):
            rows = []
            for index in indexes:
                first, last = french_name("contact", index)
                full = f"{first} {last}"
                data = {"emails": [{"type": "Work", "value": f"{email_local_part(first, last)}@contact.example.org"}]}
                owner_id = demo_id("user", index % user_count) if index % 10 and user_count else None
                rows.append(Contact(id=demo_id("contact", index), owner_id=owner_id, full_name=full, short_name=first,
                                    data=data, search_text=contact_search_text(full, first, data)))
            known = set(User.objects.filter(pk__in={row.owner_id for row in rows}).values_list("pk", flat=True))
            with transaction.atomic():
                self.insert_missing(Contact, [row for row in rows if row.owner_id is None or row.owner_id in known])
            self.progress.update(len(indexes))
