import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client_for():
    """`client_for(user)`: an API client with a signed-in session for `user`."""

    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make
