"""`team_member_add_or_invite`: a trusted service's "this person in this team", decided once for
every caller (the resource server's API key path today)."""

import pytest
from django.test import override_settings

from people.core.errors import AlreadyExists, ValidationFailed
from people.identity.models import User
from people.teams import services
from people.teams.models import Invitation, TeamAccess, TeamRole
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_known_sub_gets_the_access_with_the_role():
    user = UserFactory(sub="agent-1")
    team = TeamFactory()
    result = services.team_member_add_or_invite(team=team, sub="agent-1", role=TeamRole.ADMIN)
    assert isinstance(result, TeamAccess)
    assert (result.user, result.role) == (user, TeamRole.ADMIN)


@override_settings(OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION=True)
def test_known_email_gets_the_access_and_no_user_is_created():
    user = UserFactory(email="ada@example.gouv.fr")
    before = User.objects.count()
    result = services.team_member_add_or_invite(team=TeamFactory(), sub="unknown", email="ADA@example.gouv.fr")
    assert isinstance(result, TeamAccess)
    assert result.user == user
    assert User.objects.count() == before


def test_unknown_email_is_invited_by_nobody():
    team = TeamFactory()
    result = services.team_member_add_or_invite(team=team, email="new@example.gouv.fr")
    assert isinstance(result, Invitation)
    assert (result.team, result.email, result.issuer) == (team, "new@example.gouv.fr", None)


@pytest.mark.parametrize(
    ("setup", "kwargs", "code"),
    [
        ("inactive", {"sub": "agent-1"}, "inactive_user"),
        ("none", {"sub": "nobody"}, "unknown_user"),
    ],
    ids=["inactive", "unknown-sub"],
)
def test_refusals_write_nothing(setup, kwargs, code):
    if setup == "inactive":
        UserFactory(sub="agent-1", is_active=False)
    team = TeamFactory()
    with pytest.raises(ValidationFailed) as error:
        services.team_member_add_or_invite(team=team, **kwargs)
    assert error.value.code == code
    assert not TeamAccess.objects.filter(team=team).exists()
    assert not Invitation.objects.exists()


@override_settings(OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION=True)
def test_shared_email_is_refused_rather_than_guessed(emails_not_unique):
    UserFactory(email="twin@example.gouv.fr")
    UserFactory(email="twin@example.gouv.fr")
    with pytest.raises(ValidationFailed) as error:
        services.team_member_add_or_invite(team=TeamFactory(), email="twin@example.gouv.fr")
    assert error.value.code == "ambiguous_email"


def test_already_member_is_already_exists_not_a_concurrent_change():
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[user])
    with pytest.raises(AlreadyExists) as error:
        services.team_member_add_or_invite(team=team, sub="agent-1")
    assert (error.value.code, error.value.status_code) == ("already_member", 400)
