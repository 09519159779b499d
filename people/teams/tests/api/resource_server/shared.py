"""Builders shared by the resource server's team-invitation tests."""

from tests.factories import ServiceProviderFactory, TeamFactory


def invitations_url(team_id) -> str:
    return f"/resource-server/v1.0/teams/{team_id}/invitations/"


def linked_team(user, role, audience="service-a", **kwargs):
    """A team where `user` has `role`, linked to the service of `audience`."""
    team = TeamFactory(users=[(user, role)], **kwargs)
    team.service_providers.add(ServiceProviderFactory(audience_id=audience))
    return team
