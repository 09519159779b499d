"""A domain's aliases: the list, adding one, deleting one or every alias of a name."""

import pytest

from people.core.models import OutboxMessage
from people.mail import provisioning
from people.mail.models import Alias, AliasStatus
from people.mail.tests.web.helpers import audit_entries, page, part
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_an_alias_provisioned_by_a_job(client, crew):
    client.force_login(crew.admin)
    response = client.post(page("aliases", crew.domain), {"action": "create", "local_part": "Accueil", "destination": "agent@ville.fr"})
    assert response.status_code == 302
    alias = Alias.objects.get(domain=crew.domain, local_part="accueil")
    assert alias.destination == "agent@ville.fr"
    assert alias.operation.kind == provisioning.ALIAS_SYNC
    body = client.get(response.url).content.decode()
    assert "The alias was added." in part(body, "messages", "</div>")
    assert "Pending" in part(body, f"alias-{alias.pk}", "</tr>")


def test_the_discard_destination_is_accepted(client, crew):
    client.force_login(crew.admin)
    client.post(page("aliases", crew.domain), {"local_part": "spam", "destination": "devnull@devnull"})
    assert Alias.objects.get(local_part="spam").destination == "devnull@devnull"


def test_bad_input_and_duplicates_are_shown_and_add_nothing(client, crew):
    factories.AliasFactory(domain=crew.domain, local_part="accueil", destination="agent@ville.fr")
    client.force_login(crew.admin)
    before = (Alias.objects.count(), audit_entries())
    response = client.post(page("aliases", crew.domain), {"local_part": "a b", "destination": "nobody"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(page("aliases", crew.domain), {"local_part": "accueil", "destination": "agent@ville.fr"})
    assert response.status_code == 400
    assert "Alias with this Domain, Local part and Destination already exists." in part(response.content.decode(), "alias-form", "</form>")
    assert (Alias.objects.count(), audit_entries()) == before


def test_deleting_one_alias_of_a_name(client, crew):
    kept = factories.AliasFactory(domain=crew.domain, local_part="accueil", destination="a@ville.fr")
    gone = factories.AliasFactory(domain=crew.domain, local_part="accueil", destination="b@ville.fr")
    client.force_login(crew.owner)
    confirm = client.get(page("alias-delete", crew.domain, gone.pk)).content.decode()
    assert f"Delete the alias accueil@{crew.domain.name} → b@ville.fr?" in confirm
    response = client.post(page("aliases", crew.domain), {"action": "delete", "id": str(gone.pk)})
    assert response.status_code == 302
    gone.refresh_from_db()
    assert gone.status == AliasStatus.DELETING  # until the platform confirms
    body = client.get(page("aliases", crew.domain)).content.decode()
    assert f'id="alias-{gone.pk}"' not in body
    assert f'id="alias-{kept.pk}"' in body


def test_deleting_every_alias_of_a_name(client, crew):
    aliases = factories.AliasFactory.create_batch(2, domain=crew.domain, local_part="accueil")
    other = factories.AliasFactory(domain=crew.domain, local_part="mairie")
    client.force_login(crew.admin)
    confirm = client.get(page("alias-delete", crew.domain, aliases[0].pk) + "?all=1").content.decode()
    assert f"Delete every alias of accueil@{crew.domain.name}?" in confirm
    response = client.post(page("aliases", crew.domain), {"action": "delete_all", "local_part": "accueil"})
    assert response.status_code == 302
    assert set(Alias.objects.filter(local_part="accueil").values_list("status", flat=True)) == {AliasStatus.DELETING}
    assert OutboxMessage.objects.filter(kind=provisioning.ALIAS_DELETE_ALL).count() == 1
    other.refresh_from_db()
    assert other.status == AliasStatus.ENABLED


def test_a_viewer_sees_the_aliases_but_may_not_change_them(client, crew):
    alias = factories.AliasFactory(domain=crew.domain)
    client.force_login(crew.viewer)
    body = client.get(page("aliases", crew.domain)).content.decode()
    assert f'id="alias-{alias.pk}"' in body
    assert 'id="alias-form"' not in body
    assert "/delete/" not in body
    response = client.post(page("aliases", crew.domain), {"action": "delete", "id": str(alias.pk)})
    assert response.status_code == 403
    alias.refresh_from_db()
    assert alias.status == AliasStatus.ENABLED


def test_the_aliases_are_searched(client, crew):
    found = factories.AliasFactory(domain=crew.domain, local_part="secretariat")
    other = factories.AliasFactory(domain=crew.domain, local_part="accueil")
    client.force_login(crew.viewer)
    body = client.get(page("aliases", crew.domain), {"q": "secret"}).content.decode()
    assert f'id="alias-{found.pk}"' in body
    assert f'id="alias-{other.pk}"' not in body
