"""`page_size` is a positive integer: anything else is a 400 that says so, not a silent default."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return UserFactory()


@pytest.fixture
def client(me):
    api = APIClient()
    api.force_login(me)
    return api


@pytest.mark.parametrize("value", ["false", "abc", "0", "-3", "1.5"])
def test_invalid_page_size_is_400(client, value):
    response = client.get("/api/v1.0/users/", {"page_size": value})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["A positive integer is required (at most 100)."]}


@pytest.mark.parametrize(("value", "rows"), [("1", 1), ("2", 2), ("500", 3)])
def test_valid_page_size_is_honoured_up_to_the_rows(client, me, value, rows):
    UserFactory.create_batch(2, organization=me.organization)
    response = client.get("/api/v1.0/users/", {"page_size": value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
