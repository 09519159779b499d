"""The services' refusals through the API speak the caller's language: English for a caller
that asks none (as before French was added), French for a French user."""

import pytest

from people.teams import services
from people.teams.models import TeamAccess

pytestmark = pytest.mark.django_db


def _refused(client, crew):
    access = TeamAccess.objects.get(team=crew.team, user=crew.owner)
    return client.delete(f"/api/v1.0/teams/{crew.team.pk}/accesses/{access.pk}/")


def test_a_refusal_is_english_for_an_english_user(client_for, crew):
    response = _refused(client_for(crew.member), crew)
    assert response.status_code == 403
    assert response.json()["detail"] == services.NOT_ALLOWED_ACCESSES


def test_a_refusal_is_french_for_a_french_user(client_for, crew):
    crew.member.language = "fr-fr"
    crew.member.save()
    response = _refused(client_for(crew.member), crew)
    assert response.status_code == 403
    assert response.json()["detail"] == "Vous n’avez pas le droit de gérer les membres de cette équipe."


def test_a_field_error_is_translated_too(client_for, crew):
    crew.owner.language = "fr-fr"
    crew.owner.save()
    response = client_for(crew.owner).post(
        f"/api/v1.0/teams/{crew.team.pk}/accesses/", {"user": "5f0c4e1a-7b2d-4c3e-9a8f-0d1e2f3a4b5c"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"user": ["Aucun utilisateur actif n’a cet identifiant."]}
