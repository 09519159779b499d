"""Fixtures of the mail tests: a domain with one user per role, the fake mail platform, and
the jobs run as the outbox would run them after the request's commit."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from people.identity.models import User
from people.mail.models import MailDomain, MailDomainRole
from tests.factories import MailDomainFactory, OrganizationFactory, UserFactory
from tests.peers.mail_platform import MailPlatform

ROLES = ("owner", "admin", "viewer")


@dataclass
class Crew:
    domain: MailDomain
    owner: User
    admin: User
    viewer: User
    outsider: User

    def user(self, name: str) -> User:
        return getattr(self, name)

    def url(self, rest: str = "") -> str:
        return f"/api/v1.0/mail-domains/{self.domain.slug}/{rest}"


@pytest.fixture
def crew() -> Crew:
    """An enabled domain with an owner, an administrator and a viewer, and an outsider of the
    same organization (no role)."""
    organization = OrganizationFactory()
    users = {role: UserFactory(organization=organization) for role in MailDomainRole.values}
    domain = MailDomainFactory(organization=organization, users=[(user, role) for role, user in users.items()])
    return Crew(
        domain=domain,
        owner=users[MailDomainRole.OWNER],
        admin=users[MailDomainRole.ADMIN],
        viewer=users[MailDomainRole.VIEWER],
        outsider=UserFactory(organization=organization),
    )


@pytest.fixture
def platform(mail_platform, crew) -> MailPlatform:
    """The fake platform, which has the crew's domain (created and checked)."""
    mail_platform.add_domain(crew.domain.name)
    return mail_platform


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """`with jobs(): ...` runs the outbox messages written inside once the block's transaction
    commits, as the outbox's eager mode does outside tests."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return run
