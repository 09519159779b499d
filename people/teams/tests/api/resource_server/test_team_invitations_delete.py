"""DELETE /resource-server/v1.0/teams/{team_id}/invitations/{id}/ (no update)."""

import pytest

from people.teams.models import Invitation
from tests.factories import InvitationFactory, ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _setup(role, audience="service-a"):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[(user, role)])
    team.service_providers.add(ServiceProviderFactory(audience_id=audience))
    invitation = InvitationFactory(team=team)
    return user, f"/resource-server/v1.0/teams/{team.pk}/invitations/{invitation.pk}/"


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_managers_delete(service, role):
    user, url = _setup(role)
    assert service.client_for(user).delete(url).status_code == 204
    assert not Invitation.objects.exists()


def test_member_gets_403(service):
    user, url = _setup("member")
    assert service.client_for(user).delete(url).status_code == 403
    assert Invitation.objects.exists()


def test_other_service_gets_404(service):
    user, url = _setup("owner", audience="service-b")
    assert service.client_for(user).delete(url).status_code == 404
    assert Invitation.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_invitations_cannot_be_edited(service, method):
    user, url = _setup("owner")
    assert getattr(service.client_for(user), method)(url, {"role": "owner"}, format="json").status_code == 405
