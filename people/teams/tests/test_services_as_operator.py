"""Services called as an operator (admin only): owner powers, the same invariants, never from the API."""

import pytest

from people.core.errors import LastOwner, PermissionDenied, ValidationFailed
from people.core.models import AuditEntry
from people.teams import services
from people.teams.models import Team, TeamAccess, TeamRole
from tests.factories import InvitationFactory, OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(is_staff=True, is_superuser=True, organization=None)


def test_operator_creates_a_team_in_the_chosen_organization_with_the_chosen_owner(operator):
    organization = OrganizationFactory()
    owner = UserFactory(organization=organization)
    team = services.team_create(actor=operator, as_operator=True, name="Ops", organization=organization, owner=owner)
    assert team.organization == organization
    assert list(TeamAccess.objects.filter(team=team).values_list("user", "role")) == [(owner.pk, TeamRole.OWNER)]
    assert AuditEntry.objects.get(action="team.create").actor == operator


def test_operator_must_name_an_owner_and_nothing_is_written(operator):
    with pytest.raises(ValidationFailed) as error:
        services.team_create(actor=operator, as_operator=True, name="Ops", organization=OrganizationFactory())
    assert set(error.value.errors) == {"owner"}
    assert not Team.objects.exists()


def test_users_cannot_choose_organization_or_owner():
    user = UserFactory()
    with pytest.raises(ValidationFailed):
        services.team_create(actor=user, name="Elsewhere", organization=OrganizationFactory(), owner=UserFactory())
    assert not Team.objects.exists()


def test_operator_demotes_one_of_two_owners_but_never_the_last(operator):
    first, second = UserFactory.create_batch(2)
    team = TeamFactory(users=[(first, "owner"), (second, "owner")])
    access = TeamAccess.objects.get(team=team, user=first)
    services.team_access_update(actor=operator, access=access, role=TeamRole.MEMBER, as_operator=True)
    last = TeamAccess.objects.get(team=team, user=second)
    with pytest.raises(LastOwner):
        services.team_access_update(actor=operator, access=last, role=TeamRole.MEMBER, as_operator=True)
    with pytest.raises(LastOwner):
        services.team_access_delete(actor=operator, access=last, as_operator=True)
    last.refresh_from_db()
    assert last.role == TeamRole.OWNER


def test_operator_deletes_a_team_outside_any_membership(operator):
    team = TeamFactory()
    services.team_delete(actor=operator, team=team, as_operator=True)
    assert not Team.objects.filter(pk=team.pk).exists()
    assert AuditEntry.objects.get(action="team.delete").actor == operator


def test_invitation_update_is_for_managers_and_operators_only(operator):
    member = UserFactory()
    invitation = InvitationFactory(team=TeamFactory(users=[member]))
    with pytest.raises(PermissionDenied):
        services.invitation_update(actor=member, invitation=invitation, role=TeamRole.OWNER)
    with pytest.raises(ValidationFailed):
        services.invitation_update(actor=operator, invitation=invitation, as_operator=True, email="x@example.fr")
    services.invitation_update(actor=operator, invitation=invitation, as_operator=True, role=TeamRole.OWNER)
    invitation.refresh_from_db()
    assert invitation.role == TeamRole.OWNER
    assert AuditEntry.objects.get(action="invitation.update").changes == {"role": ["member", "owner"]}


@pytest.mark.parametrize("switch", ["TEAMS_DISPLAY", "TEAMS_CREATE"])
def test_team_create_follows_the_users_me_ability_whoever_calls(settings, switch):
    """The creation right is the service's: the client API, the resource server and any later
    caller get the same answer as `users/me/` abilities."""
    settings.FEATURES = {**settings.FEATURES, switch: False}
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.team_create(actor=user, name="Refused")
    assert not Team.objects.filter(name="Refused").exists()
    operator = UserFactory(is_staff=True)
    team = services.team_create(actor=operator, as_operator=True, name="Ops", organization=user.organization, owner=user)
    assert team.accesses.get().user == user
