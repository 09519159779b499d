"""Selectors other parts of People build on: service scoping and locked reads."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from people.core.errors import NotFound
from people.teams import selectors
from people.teams.models import TeamAccess, TeamRole
from tests.factories import (
    UNKNOWN_ID,
    ServiceProviderFactory,
    TeamAccessFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped():
    user = UserFactory()
    provider = ServiceProviderFactory()
    linked = TeamFactory(organization=user.organization, users=[user], is_visible_all_services=False)
    linked.service_providers.add(provider)
    shared = TeamFactory(organization=user.organization, users=[user], is_visible_all_services=True)
    private = TeamFactory(organization=user.organization, users=[user], is_visible_all_services=False)
    private.service_providers.add(ServiceProviderFactory())
    return user, provider, linked, shared, private


def test_service_provider_sees_linked_and_shared_teams(scoped):
    user, provider, linked, shared, private = scoped
    teams = selectors.team_list_visible_to(user=user, service_provider=provider)
    assert set(teams) == {linked, shared}
    assert private not in teams


def test_linked_only_keeps_linked_teams(scoped):
    user, provider, linked, _shared, _private = scoped
    assert list(selectors.team_list_visible_to(user=user, service_provider=provider, linked_only=True)) == [linked]


def test_get_visible_to_respects_the_service_scope(scoped):
    user, provider, _linked, _shared, private = scoped
    assert selectors.team_get_visible_to(user=user, team_id=private.pk) == private
    with pytest.raises(NotFound):
        selectors.team_get_visible_to(user=user, team_id=private.pk, service_provider=provider)


def test_annotations():
    user = UserFactory()
    team = TeamFactory(organization=user.organization, users=[(user, TeamRole.ADMIN), UserFactory()])
    TeamFactory(organization=user.organization, parent=team)
    fetched = selectors.team_get_visible_to(user=user, team_id=str(team.pk))
    assert fetched.user_role == TeamRole.ADMIN
    assert fetched.member_count == 2
    assert fetched.numchild == 1


def test_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    TeamFactory(users=[UserFactory()])
    assert not selectors.team_list_visible_to(user=AnonymousUser()).exists()


def test_get_for_actor_returns_the_visible_team_locked_with_the_role_inside_a_transaction():
    user = UserFactory()
    team = TeamFactory(organization=user.organization, users=[(user, TeamRole.OWNER)])
    with transaction.atomic():
        acting = selectors.team_get_for_actor(team=team.pk, actor=user, for_write=True)
        assert acting.team == team
        assert acting.role == TeamRole.OWNER


@pytest.mark.parametrize("team_id", ["nope", None, 12, UNKNOWN_ID], ids=["malformed", "none", "integer", "unknown"])
@pytest.mark.parametrize("for_write", [False, True], ids=["read", "write"])
def test_get_for_actor_unknown_is_not_found(team_id, for_write):
    with transaction.atomic(), pytest.raises(NotFound):
        selectors.team_get_for_actor(team=team_id, actor=UserFactory(), for_write=for_write)


@pytest.mark.parametrize("by", ["id", "row"])
def test_get_for_actor_invisible_is_not_found(by):
    team = TeamFactory(users=[UserFactory()])
    with transaction.atomic(), pytest.raises(NotFound):
        selectors.team_get_for_actor(team=team.pk if by == "id" else team, actor=UserFactory(), for_write=True)


def test_get_for_actor_ancestor_only_is_visible_without_a_role():
    user = UserFactory()
    parent = TeamFactory(organization=user.organization)
    TeamFactory(organization=user.organization, parent=parent, users=[user])
    acting = selectors.team_get_for_actor(team=parent, actor=user)
    assert (acting.team, acting.role) == (parent, None)


def test_get_for_actor_reads_the_role_now_not_a_stale_annotation():
    user = UserFactory()
    team = TeamFactory(organization=user.organization, users=[(user, TeamRole.MEMBER)])
    stale = selectors.team_get_visible_to(user=user, team_id=team.pk)
    team.accesses.filter(user=user).update(role=TeamRole.ADMIN)
    assert selectors.team_get_for_actor(team=stale, actor=user).role == TeamRole.ADMIN


def test_get_for_actor_operator_acts_as_owner_and_trusted_service_for_nobody():
    team = TeamFactory(users=[UserFactory()])
    outsider = UserFactory()
    assert selectors.team_get_for_actor(team=team, actor=outsider, as_operator=True).role == TeamRole.OWNER
    assert selectors.team_get_for_actor(team=team.pk, actor=None, trusted_service=True).role is None


def test_related_ids_in_their_order_and_members_only_where_the_caller_has_a_role():
    """Members oldest first, services by name, in one query for every team read; a team seen
    only as an ancestor shows its services but not its members."""
    user = UserFactory()
    parent = TeamFactory(organization=user.organization, name="Parent")
    child = TeamFactory(organization=user.organization, parent=parent, users=[user])
    members = [TeamAccessFactory(team=child) for _ in range(3)]
    moments = [timezone.now() - timedelta(minutes=minutes) for minutes in (5, 30, 10)]
    for access, moment in zip(members, moments, strict=True):
        TeamAccess.objects.filter(pk=access.pk).update(created_at=moment)
    own = child.accesses.get(user=user)
    providers = {name: ServiceProviderFactory(name=name) for name in ("Gamma", "Alpha", "Beta")}
    child.service_providers.set(providers.values())
    parent.service_providers.set([providers["Beta"], providers["Alpha"]])

    teams = {team.pk: team for team in selectors.with_related_ids(selectors.team_list_visible_to(user=user))}

    by_age = [members[1].pk, members[2].pk, members[0].pk, own.pk]
    assert teams[child.pk].access_ids == by_age
    by_name = [providers[name].pk for name in ("Alpha", "Beta", "Gamma")]
    assert teams[child.pk].service_provider_ids == by_name
    assert teams[parent.pk].access_ids == []
    assert teams[parent.pk].service_provider_ids == by_name[:2]
    one = selectors.team_get_visible_to(user=user, team_id=child.pk)
    assert (one.access_ids, one.service_provider_ids) == (by_age, by_name)
