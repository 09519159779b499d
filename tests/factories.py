"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from people.contacts.models import Contact
from people.identity.models import Organization, OrganizationAccess, ServiceProvider, User
from people.mail.models import (
    Alias,
    AliasStatus,
    Mailbox,
    MailboxStatus,
    MailDomain,
    MailDomainAccess,
    MailDomainInvitation,
    MailDomainRole,
    MailDomainStatus,
    slug_base,
)
from people.teams import tree
from people.teams.models import Invitation, Team, TeamAccess, TeamRole

# A well-formed id that no row has. Fixed rather than drawn at import time, so that the
# parametrized tests using it are collected with the same ids by every process (pytest -n)
# and a failing case can be re-run by name.
UNKNOWN_ID = "5f0c4e1a-7b2d-4c3e-9a8f-0d1e2f3a4b5c"


class ServiceProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider
        django_get_or_create = ("audience_id",)

    name = factory.Sequence(lambda n: f"Service {n}")
    audience_id = factory.Sequence(lambda n: f"service-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    domain_list = factory.Sequence(lambda n: [f"org{n}.example.gouv.fr"])
    registration_id_list = factory.LazyFunction(list)


class OrganizationAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationAccess

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("tests.factories.UserFactory", organization=factory.SelfAttribute("..organization"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    sub = factory.Sequence(lambda n: f"sub-{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.gouv.fr")
    name = factory.Faker("name")
    language = "en-us"
    timezone = "Europe/Paris"
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.LazyFunction(lambda: make_password(None))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    organization = factory.SubFactory(OrganizationFactory)
    parent = None
    path = factory.LazyAttribute(lambda team: tree.next_path(team.parent))
    depth = factory.LazyAttribute(lambda team: len(team.path) // tree.PATH_STEP)

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        """`users=[user, (user, role), ...]` gives those users accesses."""
        if create and extracted:
            for item in extracted:
                user, role = item if isinstance(item, tuple) else (item, TeamRole.MEMBER)
                TeamAccess.objects.create(team=self, user=user, role=role)


class TeamAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamAccess

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.gouv.fr")
    role = TeamRole.MEMBER
    issuer = factory.SubFactory(UserFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name")
    short_name = factory.LazyAttribute(lambda contact: contact.full_name.split()[0][:30])
    data = factory.LazyFunction(dict)


class MailDomainFactory(factory.django.DjangoModelFactory):
    """An enabled domain, on the mail platform (`status`, `provisioned` to say otherwise)."""

    class Meta:
        model = MailDomain
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"commune{n}.example.fr")
    slug = factory.LazyAttribute(lambda domain: slug_base(domain.name))
    organization = factory.SubFactory(OrganizationFactory)
    support_email = factory.Sequence(lambda n: f"support{n}@example.fr")
    status = MailDomainStatus.ENABLED
    provisioned = True

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        """`users=[user, (user, role), ...]` gives those users accesses (viewer by default)."""
        if create and extracted:
            for item in extracted:
                user, role = item if isinstance(item, tuple) else (item, MailDomainRole.VIEWER)
                MailDomainAccess.objects.create(domain=self, user=user, role=role)


class MailDomainAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailDomainAccess

    domain = factory.SubFactory(MailDomainFactory)
    user = factory.SubFactory(UserFactory)
    role = MailDomainRole.VIEWER


class MailDomainInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailDomainInvitation

    domain = factory.SubFactory(MailDomainFactory)
    email = factory.Sequence(lambda n: f"guest{n}@example.gouv.fr")
    role = MailDomainRole.VIEWER
    issuer = factory.SubFactory(UserFactory)


class MailboxFactory(factory.django.DjangoModelFactory):
    """An enabled mailbox, on the mail platform."""

    class Meta:
        model = Mailbox

    domain = factory.SubFactory(MailDomainFactory)
    first_name = factory.Sequence(lambda n: f"Camille{n}")
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    local_part = factory.Sequence(lambda n: f"camille.martin{n}")
    secondary_email = factory.Sequence(lambda n: f"camille{n}@perso.example.net")
    status = MailboxStatus.ENABLED
    provisioned = True


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    domain = factory.SubFactory(MailDomainFactory)
    local_part = factory.Sequence(lambda n: f"contact{n}")
    destination = factory.Sequence(lambda n: f"agent{n}@example.fr")
    status = AliasStatus.ENABLED
    provisioned = True
