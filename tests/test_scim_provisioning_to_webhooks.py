"""Both directions of SCIM at once: an identity system provisions a group through `/scim/v2/`
(People as SCIM server), and the team's webhook carries the same members to a suite's service
(People as SCIM client of the reference `scim2-server`, a real peer on loopback)."""

import pytest

from people.core import outbox
from people.identity.models import User
from people.scim.services import scim_client_create
from people.scim.tests.conftest import Scim, patch_body
from people.teams import services
from people.teams.models import Team
from tests.factories import OrganizationFactory
from tests.peers.scim_server import TOKEN

pytestmark = [pytest.mark.django_db, pytest.mark.peer]


def deliver_all() -> None:
    while outbox.deliver_due():
        pass


def test_members_provisioned_over_scim_reach_the_service_s_group(scim_server):
    organization = OrganizationFactory(domain_list=["ministere.gouv.fr"])
    _row, token = scim_client_create(actor=None, name="Identity system", organization=organization)
    idp = Scim(token, organization)
    ada = idp.create_user("ada@ministere.gouv.fr", name={"givenName": "Ada", "familyName": "Lovelace"})
    alan = idp.create_user("alan@ministere.gouv.fr", name={"givenName": "Alan", "familyName": "Turing"})
    group = idp.create_group("Cellule numérique", members=[ada["id"]])
    team = Team.objects.get(name="Cellule numérique")
    webhook = services.webhook_create(actor=None, team=team, url=scim_server.url, secret=TOKEN, as_operator=True)
    deliver_all()
    webhook.refresh_from_db()
    user_of = {body["id"]: str(User.objects.get(email=body["userName"]).pk) for body in (ada, alan)}
    assert scim_server.member_values(webhook.remote_id) == {user_of[ada["id"]]}

    status, _body, _r = idp.patch(f"/Groups/{group['id']}", patch_body({"op": "add", "path": "members", "value": [{"value": alan["id"]}]}))
    assert status in (200, 204)
    deliver_all()
    assert scim_server.member_values(webhook.remote_id) == {user_of[ada["id"]], user_of[alan["id"]]}

    status, _body, _r = idp.patch(f"/Groups/{group['id']}", patch_body({"op": "remove", "path": f'members[value eq "{ada["id"]}"]'}))
    assert status in (200, 204)
    deliver_all()
    assert scim_server.member_values(webhook.remote_id) == {user_of[alan["id"]]}
