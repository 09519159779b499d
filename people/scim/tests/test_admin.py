"""Operators create provisioning clients in the admin: the token is shown once, only its digest kept."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from people.core.models import Audience, AuditEntry
from people.scim.models import ScimClient
from people.scim.tests.conftest import Scim
from tests.factories import OrganizationFactory


@pytest.fixture
def operator_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_operator_creates_a_client_and_sees_its_token_once(operator_client):
    organization = OrganizationFactory()
    response = operator_client.post(
        reverse("admin:scim_scimclient_add"), {"name": "Annuaire", "organization": organization.pk, "is_active": "on"}
    )
    assert response.status_code == 302
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    token = re.search(r"shown only now: (\S+)", messages).group(1)
    client = ScimClient.objects.get(name="Annuaire")
    assert client.token_digest == ScimClient.digest(token)
    assert client.token_prefix == token[:8]
    assert AuditEntry.objects.get(action="scim_client.create").audience == Audience.OPERATOR
    assert Scim(token, organization).get("/Users")[0] == 200
    change = reverse("admin:scim_scimclient_change", args=[client.pk])
    operator_client.get(change)  # the page after the creation shows its message, once
    assert token not in operator_client.get(change).content.decode()


def test_rotating_the_token_stops_the_old_one(operator_client):
    organization = OrganizationFactory()
    from people.scim.services import scim_client_create

    client, old = scim_client_create(actor=None, name="Annuaire", organization=organization)
    response = operator_client.post(
        reverse("admin:scim_scimclient_changelist"), {"action": "rotate_tokens", "_selected_action": [client.pk]}
    )
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    new = re.search(r"shown only now: (\S+)", messages).group(1)
    assert Scim(old, organization).get("/Users")[0] == 401
    assert Scim(new, organization).get("/Users")[0] == 200
