"""Whatever a client sends to any SCIM path, the answer is a SCIM body, never a server error."""

from __future__ import annotations

import pytest

from people.scim.tests.conftest import SCIM_JSON

BODIES = [
    b"",
    b"null",
    b"{}",
    b'{"schemas": "not a list"}',
    b'{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "members[value eq", "value": 1}]}',
    b'{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "id", "value": "x"}]}',
    b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": {"x": 1}, "members": "all"}',
    b'{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "startIndex": "one", "count": [1]}',
    "\udcff".encode("utf-8", "surrogatepass"),
]
PATHS = [
    "/Users", "/Users/{user}", "/Users/not-a-uuid", "/Users/.search", "/Groups", "/Groups/{group}",
    "/Groups/.search", "/.search", "/ServiceProviderConfig", "/Schemas", "/Schemas/x", "/ResourceTypes/User",
    "/Users?filter=%22&count=x&startIndex=-4&sortBy=(", "/Groups?attributes=members&excludedAttributes=members",
]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_no_server_error(scim, method):
    user = scim.create_user("a@ministere.gouv.fr")
    group = scim.create_group("T", [user["id"]])
    for path in PATHS:
        for raw in BODIES:
            status, body, response = scim.request(method, path.format(user=user["id"], group=group["id"]), raw=raw)
            assert status < 500, (method, path, raw, body)
            assert response["Content-Type"] == SCIM_JSON or status == 204, (method, path, raw)
            if status >= 400:
                assert body["status"] == str(status)
