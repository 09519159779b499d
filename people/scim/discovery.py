"""`ServiceProviderConfig`, `ResourceTypes` and `Schemas`: exactly what the server supports."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    ETag,
    Filter,
    ListResponse,
    Meta,
    NotFoundException,
    Patch,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
)

from people.scim import wire
from people.scim.http import scim_response

MAX_RESULTS = 1000


def service_provider_config(base_url: str) -> dict[str, Any]:
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=True),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken", name="Bearer token",
                description="The token of a provisioning client (manage.py scim_client_create), in Authorization: Bearer.",
                primary=True,
            )
        ],
        meta={"resourceType": "ServiceProviderConfig", "location": f"{base_url}/ServiceProviderConfig"},
    )
    return config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def resource_types(base_url: str) -> list[ResourceType]:
    return wire.resource_types(base_url)


def schemas(base_url: str) -> list[Schema]:
    found = []
    for model in (wire.User, wire.Group):
        schema = model.to_schema()
        schema.meta = Meta(resource_type="Schema", location=f"{base_url}/Schemas/{schema.id}")
        found.append(schema)
    return found


def listing_or_one(items: list[Any], pk: str | None, label: str) -> HttpResponse:
    if pk is None:
        listing = ListResponse[type(items[0])](total_results=len(items), start_index=1, items_per_page=len(items), resources=items)
        return scim_response(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))
    for item in items:
        if item.id == pk:
            return scim_response(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise NotFoundException(detail=f"No {label} has this id.")
