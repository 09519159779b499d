"""The contacts API's refusals in the caller's language: English without a language signal (as
before the French catalog), French when the caller asks for it."""

import pytest

from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/contacts/"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Edit your own contact instead of overriding it."),
        ({"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}, "Modifiez votre propre contact au lieu d’en faire une version personnelle."),
    ],
)
def test_an_override_of_ones_own_contact(client_for, headers, message):
    me = UserFactory(language="")  # no language of their own: the request decides
    mine = ContactFactory(owner=me)
    response = client_for(me).post(URL, {"full_name": "X", "data": {}, "override": str(mine.pk)}, format="json", **headers)
    assert response.status_code == 400
    assert response.json()["override"] == [message]
