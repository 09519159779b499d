"""GET /resource-server/v1.0/teams/{team_id}/invitations/ (teams linked to the service only)."""

import pytest

from people.teams.services import invitation_create
from people.teams.tests.api.resource_server.shared import invitations_url, linked_team
from tests.factories import InvitationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


_url = invitations_url


def _linked_team(user, role="member", **kwargs):
    return linked_team(user, role, **kwargs)


def test_members_list_invitations_newest_first(service):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user)
    first, second = InvitationFactory(team=team), InvitationFactory(team=team)
    InvitationFactory()  # another team
    response = service.client_for(user).get(_url(team.pk))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(second.pk), str(first.pk)]


def test_team_visible_to_all_but_not_linked_is_404(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[user], is_visible_all_services=True)
    InvitationFactory(team=team)
    assert service.client_for(user).get(_url(team.pk)).status_code == 404


def test_team_of_another_service_is_404(service):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user, audience="service-b")
    assert service.client_for(user).get(_url(team.pk)).status_code == 404


@pytest.mark.parametrize("team_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_bad_team_id_is_404(service, team_id):
    assert service.client_for(UserFactory(sub="agent-1")).get(_url(team_id)).status_code == 404


def test_retrieve_one_invitation(service):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user)
    invitation = InvitationFactory(team=team)
    client = service.client_for(user)
    response = client.get(f"{_url(team.pk)}{invitation.pk}/")
    assert response.status_code == 200
    assert response.json()["email"] == invitation.email
    assert client.get(f"{_url(team.pk)}{InvitationFactory().pk}/").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_is_constant(service, django_assert_max_num_queries, count):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user)
    InvitationFactory.create_batch(count, team=team)
    client = service.client_for(user)
    client.get(_url(team.pk))
    # user, service provider, team, count, page
    with django_assert_max_num_queries(5):
        response = client.get(_url(team.pk), {"page_size": 100})
    assert response.json()["count"] == count


def test_resource_server_rows_carry_the_delivery(service, django_capture_on_commit_callbacks):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user, "owner")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=user, team=team, email="guest@example.fr")
    (row,) = service.client_for(user).get(_url(team.pk)).json()["results"]
    assert row["delivery"]["state"] == "sent"
