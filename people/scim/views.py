"""The SCIM 2.0 endpoints (RFC 7644) under `/scim/v2/`: thin views over the selectors and
services, parsing and serializing through scim2-models.

Plain Django views, so that every answer, errors included (401, 404 of unknown paths, 405,
malformed JSON, 500), is a SCIM body in `application/scim+json`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, Union

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    PatchOp,
    PayloadTooLargeException,
    PreconditionFailedException,
    ResponseParameters,
    SCIMException,
    SearchRequest,
)

from people.scim import discovery, filters, resources, selectors, services, wire
from people.scim.authentication import authenticate
from people.scim.http import error_response, exception_response, scim_response
from people.scim.models import ScimClient

logger = logging.getLogger(__name__)

MAX_RESULTS = 1000


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _validation_error(error: ValidationError) -> HttpResponse:
    first = Error.from_validation_errors(error)[0]
    return scim_response(first.model_dump(), status=int(first.status or 400))


def scim_view(methods: tuple[str, ...], *, public: bool = False) -> Callable:
    """Authenticate the client, check the method, and turn every failure into a SCIM error."""

    def decorate(function: Callable) -> Callable:
        @csrf_exempt
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                client = authenticate(request)
                if client is None and not public:
                    return error_response(
                        401, "A provisioning client's bearer token is required.",
                        headers={"WWW-Authenticate": 'Bearer realm="SCIM"'},
                    )
                if request.method not in methods:
                    return error_response(405, f'Method "{request.method}" not allowed.', headers={"Allow": ", ".join(methods)})
                return function(request, client, *args, **kwargs)
            except SCIMException as exc:
                return exception_response(exc)
            except ValidationError as exc:
                return _validation_error(exc)
            except IntegrityError:  # a concurrent request took the same userName or e-mail first
                return error_response(409, "A concurrent request created or changed the same resource; retry.", "uniqueness")
            except Exception:
                logger.exception("SCIM request failed: %s %s", request.method, request.path)
                return error_response(500, "A server error occurred: it has been logged.")

        view.scim_methods = methods
        return view

    return decorate


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise PayloadTooLargeException(detail="The request body is too large.") from None
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="The request body must be a JSON object.")
    return data


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidValueException(detail=f"{name} must be an integer.") from None


def _attribute_list(value: Any) -> list[str] | None:
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


# --- reading ---------------------------------------------------------------------------------


class Kind:
    def __init__(self, name: str, model: type, sort: dict[str, Any]):
        self.name, self.model, self.sort = name, model, sort

    def filters(self, client: ScimClient) -> filters.AttributeMap:
        if self.name == "User":
            return resources.USER_FILTERS
        return resources.group_filters(selectors.user_list_for(client=client).values("pk"))

    def queryset(self, client: ScimClient, params: ResponseParameters | None) -> QuerySet:
        if self.name == "User":
            return selectors.user_list_for(client=client)
        return selectors.group_list_for(client=client, with_members=_wants_members(params))

    def get(self, client: ScimClient, pk: Any, params: ResponseParameters | None = None) -> Any:
        if self.name == "User":
            return selectors.user_get_for(client=client, user_id=pk)
        return selectors.group_get_for(client=client, team_id=pk, with_members=_wants_members(params))

    def resource(self, obj: Any, request: HttpRequest, params: ResponseParameters | None = None) -> Any:
        if self.name == "User":
            return resources.user_resource(obj, base_url(request))
        return resources.group_resource(obj, base_url(request), with_members=_wants_members(params))

    def version(self, obj: Any) -> str:
        return resources.user_version(obj) if self.name == "User" else resources.group_version(obj)


def _wants_members(params: ResponseParameters | None) -> bool:
    if params is None:
        return True
    lowered = lambda values: [v.lower().removeprefix(wire.GROUP_SCHEMA.lower() + ":") for v in values or []]  # noqa: E731
    if params.attributes:
        return any(a == "members" or a.startswith("members.") for a in lowered(params.attributes))
    return "members" not in lowered(params.excluded_attributes)


USERS = Kind("User", wire.User, resources.USER_SORT)
GROUPS = Kind("Group", wire.Group, resources.GROUP_SORT)


def _params(data: dict[str, Any]) -> SearchRequest:
    if data.get("attributes") and data.get("excludedAttributes"):
        raise InvalidValueException(detail="attributes and excludedAttributes cannot be used together.")
    try:
        return SearchRequest(
            attributes=_attribute_list(data.get("attributes")),
            excluded_attributes=_attribute_list(data.get("excludedAttributes")),
            filter=None, sort_by=None,
        )
    except ValidationError:
        raise InvalidValueException(detail="attributes and excludedAttributes list attribute names.") from None


def _dump(resource: Any, params: ResponseParameters | None, context: Context = Context.RESOURCE_QUERY_RESPONSE) -> dict[str, Any]:
    return resource.model_dump(scim_ctx=context, response_parameters=params)


def _search(request: HttpRequest, client: ScimClient, kinds: list[Kind], data: dict[str, Any]) -> HttpResponse:
    params = _params(data)
    filter_text = data.get("filter")
    if filter_text is not None and not isinstance(filter_text, str):
        raise InvalidValueException(detail="filter must be a string.")
    start = max(_int(data.get("startIndex"), "startIndex", 1), 1)
    count = min(max(_int(data.get("count"), "count", 100), 0), MAX_RESULTS)
    sort_by = data.get("sortBy")
    order = str(data.get("sortOrder") or "ascending").lower()
    if order not in ("ascending", "descending"):
        raise InvalidValueException(detail='sortOrder is "ascending" or "descending".')
    querysets = []
    for kind in kinds:
        queryset = filters.apply(kind.queryset(client, params), kind.filters(client), filter_text)
        if sort_by:
            key = str(sort_by).lower()
            for schema in (wire.USER_SCHEMA, wire.GROUP_SCHEMA):
                key = key.removeprefix(schema.lower() + ":")
            column = kind.sort.get(key)
            if column is None:
                if len(kinds) == 1:
                    raise InvalidValueException(detail=f'"{sort_by}" cannot be sorted on.')
                column = "created_at"
            ordering = column if not isinstance(column, str) else None
            if ordering is not None:
                ordering = ordering.desc() if order == "descending" else ordering.asc()
            else:
                ordering = f"-{column}" if order == "descending" else column
            queryset = queryset.order_by(ordering, "pk")
        else:
            queryset = queryset.order_by("created_at", "pk")
        querysets.append((kind, queryset))
    total = 0
    page: list[Any] = []
    offset, remaining = start - 1, count
    for kind, queryset in querysets:
        size = queryset.count()
        total += size
        if remaining > 0 and offset < size:
            rows = list(queryset[offset:offset + remaining])
            page.extend(kind.resource(row, request, params) for row in rows)
            remaining -= len(rows)
            offset = 0
        else:
            offset = max(offset - size, 0)
    listing = ListResponse[Union[tuple(kind.model for kind in kinds)]](  # noqa: UP007 - a runtime union of models
        total_results=total, start_index=start, items_per_page=len(page), resources=page
    )
    return scim_response(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=params))


def _query_dict(request: HttpRequest) -> dict[str, Any]:
    return {key: request.GET.get(key) for key in request.GET}


def _search_body(request: HttpRequest) -> dict[str, Any]:
    data = _body(request)
    schemas = data.get("schemas")
    if schemas != ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]:
        raise InvalidValueException(detail='A search request has schemas ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"].')
    unknown = set(data) - {"schemas", "attributes", "excludedAttributes", "filter", "sortBy", "sortOrder", "startIndex", "count"}
    if unknown:
        raise InvalidSyntaxException(detail=f"Unknown search parameters: {', '.join(sorted(unknown))}.")
    return data


# --- writing ---------------------------------------------------------------------------------


def _parse(kind: Kind, data: dict[str, Any], context: Context) -> Any:
    schemas = data.get("schemas")
    expected = wire.USER_SCHEMA if kind.name == "User" else wire.GROUP_SCHEMA
    if not isinstance(schemas, list) or expected not in schemas or any(s != expected for s in schemas):
        raise InvalidValueException(detail=f'This resource has schemas ["{expected}"].')
    return kind.model.model_validate(data, scim_ctx=context)


def _check_if_match(request: HttpRequest, version: str) -> None:
    wanted = request.headers.get("If-Match")
    if wanted and wanted.strip() != "*" and version not in [v.strip() for v in wanted.split(",")]:
        raise PreconditionFailedException(detail="The resource changed: its version is not the one in If-Match.")
    unwanted = request.headers.get("If-None-Match")
    if unwanted and (unwanted.strip() == "*" or version in [v.strip() for v in unwanted.split(",")]):
        raise PreconditionFailedException(detail="The resource has the version in If-None-Match.")


def _answer(kind: Kind, obj: Any, request: HttpRequest, *, status: int = 200, context: Context = Context.RESOURCE_QUERY_RESPONSE,
            params: ResponseParameters | None = None) -> HttpResponse:
    resource = kind.resource(obj, request, params)
    headers = {"ETag": resource.meta.version} if resource.meta.version else {}
    if status == 201:
        headers["Location"] = resource.meta.location
    return scim_response(_dump(resource, params, context), status=status, headers=headers)


def _collection(kind: Kind) -> Callable:
    @scim_view(("GET", "POST"))
    def view(request: HttpRequest, client: ScimClient) -> HttpResponse:
        if request.method == "GET":
            return _search(request, client, [kind], _query_dict(request))
        resource = _parse(kind, _body(request), Context.RESOURCE_CREATION_REQUEST)
        if kind.name == "User":
            obj = services.scim_user_create(client=client, resource=resource)
        else:
            obj = services.scim_group_create(client=client, resource=resource)
        return _answer(kind, kind.get(client, obj.pk), request, status=201, context=Context.RESOURCE_CREATION_RESPONSE)

    return view


def _search_view(kinds: list[Kind]) -> Callable:
    @scim_view(("POST",))
    def view(request: HttpRequest, client: ScimClient) -> HttpResponse:
        return _search(request, client, kinds, _search_body(request))

    return view


def _not_found(kind: Kind) -> SCIMException:
    from scim2_models import NotFoundException

    return NotFoundException(detail=f"No {kind.name.lower()} has this id.")


def _detail(kind: Kind) -> Callable:
    @scim_view(("GET", "PUT", "PATCH", "DELETE"))
    def view(request: HttpRequest, client: ScimClient, pk: str) -> HttpResponse:
        params = _params(_query_dict(request)) if request.method == "GET" else None
        obj = kind.get(client, pk, params if request.method == "GET" else None)
        if obj is None:
            raise _not_found(kind)
        version = kind.version(obj) if (request.method != "GET" or _wants_members(params) or kind.name == "User") else None
        if request.method == "GET":
            wanted = request.headers.get("If-None-Match")
            if version and wanted and version in [v.strip() for v in wanted.split(",")]:
                return HttpResponse(status=304, headers={"ETag": version}, content_type="application/scim+json")
            return _answer(kind, obj, request, params=params)
        _check_if_match(request, version)
        if request.method == "DELETE":
            if kind.name == "User":
                services.scim_user_delete(client=client, user=obj)
            else:
                services.scim_group_delete(client=client, team=obj)
            return HttpResponse(status=204)
        if request.method == "PUT":
            resource = _parse(kind, _body(request), Context.RESOURCE_REPLACEMENT_REQUEST)
            if resource.id is not None and resource.id != str(obj.pk):
                from scim2_models import MutabilityException

                raise MutabilityException(detail="id cannot be changed.")
        else:
            data = _body(request)
            patch = PatchOp[kind.model].model_validate(data, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
            resource = kind.resource(obj, request)
            patch.patch(resource)
        if kind.name == "User":
            services.scim_user_replace(client=client, user=obj, resource=resource)
        else:
            services.scim_group_replace(client=client, team=obj, resource=resource)
        return _answer(kind, kind.get(client, pk), request,
                       context=Context.RESOURCE_REPLACEMENT_RESPONSE if request.method == "PUT" else Context.RESOURCE_PATCH_RESPONSE)

    return view


users = _collection(USERS)
user_detail = _detail(USERS)
users_search = _search_view([USERS])
groups = _collection(GROUPS)
group_detail = _detail(GROUPS)
groups_search = _search_view([GROUPS])
root_search = _search_view([USERS, GROUPS])


# --- discovery -------------------------------------------------------------------------------


@scim_view(("GET",))
def service_provider_config(request: HttpRequest, client: ScimClient) -> HttpResponse:
    return scim_response(discovery.service_provider_config(base_url(request)))


@scim_view(("GET",))
def resource_types(request: HttpRequest, client: ScimClient, pk: str | None = None) -> HttpResponse:
    return discovery.listing_or_one(discovery.resource_types(base_url(request)), pk, "resource type")


@scim_view(("GET",))
def schemas(request: HttpRequest, client: ScimClient, pk: str | None = None) -> HttpResponse:
    return discovery.listing_or_one(discovery.schemas(base_url(request)), pk, "schema")


@scim_view(("POST",))
def bulk(request: HttpRequest, client: ScimClient) -> HttpResponse:
    """ServiceProviderConfig says bulk is not supported: 501, as RFC 7644 §3.7 suggests."""
    return error_response(501, "Bulk operations are not supported: send one request per resource.")


@scim_view(("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"))
def not_found(request: HttpRequest, client: ScimClient, rest: str = "") -> HttpResponse:
    return error_response(404, "Nothing is served at this path.")
