"""Selectors other parts of People build on: service scoping and locked reads."""

import pytest
from django.db import transaction

from people.core.errors import NotFound
from people.teams import selectors
from people.teams.models import TeamRole
from tests.factories import UNKNOWN_ID, ServiceProviderFactory, TeamFactory, UserFactory

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


def test_get_for_update_returns_the_visible_team_inside_a_transaction():
    user = UserFactory()
    team = TeamFactory(organization=user.organization, users=[(user, TeamRole.OWNER)])
    with transaction.atomic():
        locked = selectors.team_get_for_update(team_id=team.pk, actor=user)
        assert locked == team
        assert locked.user_role == TeamRole.OWNER


@pytest.mark.parametrize("team_id", ["nope", None, 12, UNKNOWN_ID], ids=["malformed", "none", "integer", "unknown"])
def test_get_for_update_unknown_is_not_found(team_id):
    with transaction.atomic(), pytest.raises(NotFound):
        selectors.team_get_for_update(team_id=team_id, actor=UserFactory())


def test_get_for_update_invisible_is_not_found():
    team = TeamFactory(users=[UserFactory()])
    with transaction.atomic(), pytest.raises(NotFound):
        selectors.team_get_for_update(team_id=team.pk, actor=UserFactory())
