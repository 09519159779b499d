"""HTTP client of a SCIM 2.0 service provider (RFC 7644), as the team webhooks' jobs call it.

Every request goes through `people.core.delivery.http_call`: TLS verified, the timeouts of the
settings (TEAM_WEBHOOK_CONNECT_TIMEOUT, TEAM_WEBHOOK_TIMEOUT), the webhook's secret as bearer
token, the outbox message's `Idempotency-Key`, and every failure turned into the outbox's two
errors (5xx, 408, 429 with its `Retry-After`, timeouts: retried; other 4xx: failed for good).
A 404 on the group is an answer, not an error: `GroupGone`, after which the job creates it again.
Payloads are built with scim2-models.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from scim2_models import Context, Group, GroupMember, PatchOp, PatchOperation

from people.core import outbox
from people.core.delivery import PermanentError, TransientError, http_call
from people.core.untrusted import UntrustedInput, json_loads, read_capped

PEER = "SCIM service"
SCIM_JSON = "application/scim+json"
MAX_ANSWER_BYTES = 4 * 1024 * 1024


class GroupGone(Exception):
    """The service has no group with this id (deleted there, or its storage reset)."""


def scim_members(members: list[dict[str, str]]) -> list[GroupMember]:
    return [GroupMember(value=member["value"], display=member.get("display") or None) for member in members]


def member_filter(value: str) -> str:
    """The path of one member (RFC 7644 §3.5.2.2); values are ids, quotes escaped anyway."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'members[value eq "{escaped}"]'


class ScimGroupClient:
    def __init__(self, *, url: str, secret: str) -> None:
        self.url = url.rstrip("/")
        self.secret = secret
        self.timeout = (settings.TEAM_WEBHOOK_CONNECT_TIMEOUT, settings.TEAM_WEBHOOK_TIMEOUT)

    def _request(self, method: str, path: str, *, body: dict[str, Any] | None = None, params: dict | None = None) -> Any:
        """The answer's JSON body (None when empty); `GroupGone` on a 404."""
        headers = {"Authorization": f"Bearer {self.secret}", "Accept": SCIM_JSON}
        if body is not None:
            headers["Content-Type"] = SCIM_JSON
        response = http_call(
            method,
            f"{self.url}{path}",
            peer=PEER,
            timeout=self.timeout,
            idempotency_key=outbox.current_message_id(),
            accept=lambda answer: answer.status_code == 404,
            headers=headers,
            params=params,
            data=None if body is None else json.dumps(body),
            stream=True,
        )
        if response.status_code == 404:
            raise GroupGone(path)
        return self._body(response)

    @staticmethod
    def _body(response: requests.Response) -> Any:
        try:
            raw = read_capped(response, limit=MAX_ANSWER_BYTES)
            return json_loads(raw) if raw.strip() else None
        except (requests.RequestException, UntrustedInput) as error:
            raise TransientError(f"{PEER} answered an unreadable body: {type(error).__name__}") from error

    @staticmethod
    def _group_path(remote_id: str) -> str:
        return f"/Groups/{quote(remote_id, safe='')}"

    # --- calls ---------------------------------------------------------------------------

    def group_find(self, *, external_id: str) -> str | None:
        """The id of the group made for this team (by an earlier attempt whose answer was
        lost), if the service finds it by `externalId`; None otherwise, or if it cannot filter."""
        try:
            body = self._request("GET", "/Groups", params={"filter": f'externalId eq "{external_id}"'})
        except (GroupGone, PermanentError):  # a service without filters: create the group
            return None
        resources = body.get("Resources") if isinstance(body, dict) else None
        for resource in resources or []:
            if isinstance(resource, dict) and resource.get("externalId") == external_id and resource.get("id"):
                return str(resource["id"])
        return None

    def group_create(self, *, name: str, external_id: str, members: list[dict[str, str]]) -> str:
        group = Group(display_name=name, external_id=external_id, members=scim_members(members) or None)
        try:
            body = self._request("POST", "/Groups", body=group.model_dump(scim_ctx=Context.RESOURCE_CREATION_REQUEST))
        except GroupGone as error:
            raise PermanentError(f"{PEER} has no /Groups at this URL (404)") from error
        remote_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(remote_id, str) or not remote_id:
            raise TransientError(f"{PEER} created the group but gave no id")
        return remote_id

    def group_replace(self, remote_id: str, *, name: str, external_id: str, members: list[dict[str, str]]) -> None:
        """The group in full (PUT): members and name as People has them now."""
        group = Group(display_name=name, external_id=external_id, members=scim_members(members))
        payload = group.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        payload.setdefault("members", [])
        self._request("PUT", self._group_path(remote_id), body=payload)

    def _patch(self, remote_id: str, operations: list[PatchOperation]) -> None:
        patch = PatchOp[Group](operations=operations)
        self._request("PATCH", self._group_path(remote_id), body=patch.model_dump(scim_ctx=Context.RESOURCE_PATCH_REQUEST))

    def members_add(self, remote_id: str, members: list[dict[str, str]]) -> None:
        values = [member.model_dump(exclude_none=True) for member in scim_members(members)]
        self._patch(remote_id, [PatchOperation[Group](op=PatchOperation.Op.add, path="members", value=values)])

    def members_remove(self, remote_id: str, members: list[dict[str, str]]) -> None:
        self._patch(
            remote_id,
            [PatchOperation[Group](op=PatchOperation.Op.remove, path=member_filter(m["value"])) for m in members],
        )

    def group_rename(self, remote_id: str, name: str) -> None:
        self._patch(remote_id, [PatchOperation[Group](op=PatchOperation.Op.replace_, path="displayName", value=name)])

    def group_delete(self, remote_id: str) -> None:
        """Gone already is done."""
        try:
            self._request("DELETE", self._group_path(remote_id))
        except GroupGone:
            return
