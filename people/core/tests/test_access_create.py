"""`access_create`: the one service that gives a user a role on an object with accesses (a
team, a mail domain): one access per user and object, audited with the invitation it comes from."""

import pytest

from people.core.errors import AlreadyExists
from people.core.models import AuditEntry
from people.core.services import access_create
from people.mail.models import MailDomainAccess
from people.teams.models import TeamAccess
from tests import factories

pytestmark = pytest.mark.django_db


def team_scope():
    return TeamAccess, {"team": factories.TeamFactory()}, "team_access.create"


def domain_scope():
    return MailDomainAccess, {"domain": factories.MailDomainFactory()}, "mail_domain_access.create"


@pytest.mark.parametrize("scope_of", [team_scope, domain_scope])
def test_an_access_is_created_and_audited_with_its_invitation(scope_of):
    model, scope, action = scope_of()
    actor, user = factories.UserFactory(), factories.UserFactory()
    via = factories.InvitationFactory()
    access = access_create(
        actor=actor, model=model, scope=scope, user=user, role="administrator", action=action, already="taken", via=via,
    )
    assert model.objects.get(user=user, **scope) == access
    assert access.role == "administrator"
    entry = AuditEntry.objects.get(action=action, target_id=str(access.pk))
    assert entry.actor == actor
    assert entry.changes == {"user": str(user.pk), "role": "administrator", "invitation": str(via.pk)}


@pytest.mark.parametrize("scope_of", [team_scope, domain_scope])
def test_a_second_access_is_refused_with_the_callers_words(scope_of):
    model, scope, action = scope_of()
    user = factories.UserFactory()
    access_create(actor=None, model=model, scope=scope, user=user, role="owner", action=action, already="x")
    before = (model.objects.count(), AuditEntry.objects.count())
    with pytest.raises(AlreadyExists) as refused:
        access_create(actor=None, model=model, scope=scope, user=user, role="viewer", action=action, already="Already there.")
    assert refused.value.detail == "Already there."
    assert refused.value.code == "already_member"
    assert (model.objects.count(), AuditEntry.objects.count()) == before
