"""A provisioning client of an organization, and an HTTP client bearing its token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from people.scim.services import scim_client_create
from tests.factories import OrganizationFactory

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_JSON = "application/scim+json"


class Scim:
    """`scim.get("/Users")`, `scim.post("/Users", {...})`...: requests under /scim/v2 bearing the
    client's token, answers as (status, JSON body or None, response)."""

    def __init__(self, token: str | None, organization: Any, client_row: Any = None):
        self.token, self.organization, self.row = token, organization, client_row
        self.http = Client()

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None, headers: dict | None = None, token: str | None = "default"):
        token = self.token if token == "default" else token
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        response = self.http.generic(method, f"/scim/v2{path}", data, content_type=SCIM_JSON, **extra)
        content = response.content
        return response.status_code, (json.loads(content) if content else None), response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def create_user(self, user_name: str, **fields) -> dict:
        status, body, _r = self.post("/Users", {"schemas": [USER_SCHEMA], "userName": user_name, **fields})
        assert status == 201, body
        return body

    def create_group(self, name: str, members: list[str] = (), **fields) -> dict:
        body = {"schemas": [GROUP_SCHEMA], "displayName": name, **fields}
        if members:
            body["members"] = [{"value": m} for m in members]
        status, created, _r = self.post("/Groups", body)
        assert status == 201, created
        return created


@pytest.fixture
def organization(db):
    return OrganizationFactory(domain_list=["ministere.gouv.fr"])


@pytest.fixture
def scim(organization):
    client, token = scim_client_create(actor=None, name="Identity system", organization=organization)
    return Scim(token, organization, client)


@pytest.fixture
def other_scim(db):
    organization = OrganizationFactory(domain_list=["autre.gouv.fr"])
    client, token = scim_client_create(actor=None, name="Other identity system", organization=organization)
    return Scim(token, organization, client)


def patch_body(*operations: dict) -> dict:
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}
