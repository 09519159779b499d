import pytest

from people.core import audit
from people.core.models import Audience, AuditEntry
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_keeps_actor_target_and_changes():
    actor = UserFactory()
    organization = OrganizationFactory(name="Before")
    before = {"name": organization.name}
    organization.name = "After"
    entry = audit.record(
        actor=actor, action="organization.update", target=organization,
        changes=audit.diff(organization, before, ["name"]),
    )
    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.actor_label == actor.email
    assert entry.audience == Audience.USER
    assert entry.target_type == "identity.organization"
    assert entry.target_id == str(organization.pk)
    assert entry.changes == {"name": ["Before", "After"]}


def test_context_names_the_audience_and_the_service():
    actor = UserFactory()
    with audit.acting_as(Audience.SERVICE, service="docs"):
        entry = audit.record(actor=actor, action="team.create", target=actor)
    assert (entry.audience, entry.service) == (Audience.SERVICE, "docs")
    # Outside the block the context is gone.
    assert audit.current_context() is None


def test_without_actor_nor_context_it_is_the_system():
    organization = OrganizationFactory()
    entry = audit.record(actor=None, action="organization.create", target=organization)
    assert entry.audience == Audience.SYSTEM
    assert entry.actor is None
    assert AuditEntry.objects.count() == 1


def test_admin_requests_act_as_operator(client):
    from django.test import RequestFactory

    from people.core.middleware import AuditContextMiddleware

    seen = {}

    def view(request):
        seen["audience"] = audit.current_context().audience
        return None

    AuditContextMiddleware(view)(RequestFactory().get("/admin/identity/user/"))
    assert seen["audience"] == Audience.OPERATOR
    AuditContextMiddleware(view)(RequestFactory().get("/api/v1.0/teams/"))
    assert seen["audience"] == Audience.USER


def test_entries_share_the_transaction_of_the_change():
    """A change that rolls back leaves neither its audit entry nor its outbound work."""
    from django.db import transaction

    from people.core.models import OutboxMessage
    from people.teams import services
    from people.teams.models import Invitation, Team

    owner = UserFactory()
    written = []

    def request():
        with transaction.atomic():
            team = services.team_create(actor=owner, name="Doomed")
            services.invitation_create(actor=owner, team=team, email="guest@example.fr")
            written.extend(AuditEntry.objects.values_list("action", flat=True))
            raise RuntimeError("the request fails after the writes")

    with pytest.raises(RuntimeError):
        request()
    assert sorted(written) == ["invitation.create", "team.create"]
    assert not Team.objects.exists()
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not OutboxMessage.objects.exists()
