"""Client API of mail domains (`/api/v1.0/mail-domains/`), with the paths and fields of the
suite's existing front end: parse, call a selector or a service, shape.

Every route under `mail-domains/{domain_slug}/` first finds the domain among the caller's
(404 otherwise, as for an unknown one); the services decide what the caller's role allows
(403). Writes answer at once with the object as recorded: what the mail platform must do is
queued (`status: pending`, `status_message` says why), never waited for.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from people.core.api.mixins import ServiceUpdateMixin
from people.core.api.pagination import ArrayUnlessPagedPagination
from people.core.api.queries import (
    PAGE_SIZE_PARAMETER,
    SearchOrderingQuerySerializer,
    SearchQuerySerializer,
    list_params,
    ordering_parameter,
)
from people.core.errors import PermissionDenied
from people.mail import policies, selectors
from people.mail.api.client import serializers as s
from people.mail.models import Alias, Mailbox, MailDomain, MailDomainAccess, MailDomainInvitation
from people.mail.services import aliases as alias_services
from people.mail.services import domains as domain_services
from people.mail.services import mailboxes as mailbox_services

SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The domain's slug")
DOMAIN_SLUG = OpenApiParameter("domain_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The domain's slug")
ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)
EMAIL_KNOWN_RESPONSE = OpenApiResponse(
    s.MailDomainAccessCreatedSerializer,
    description="The e-mail belongs to a user: the access created instead, with a `detail` saying so.",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[SearchQuerySerializer, PAGE_SIZE_PARAMETER, ordering_parameter(selectors.DOMAIN_ORDERING, "-created_at")]
    ),
    retrieve=extend_schema(parameters=[SLUG]),
    create=extend_schema(request=s.MailDomainCreateSerializer, responses={201: s.MailDomainSerializer}),
    fetch=extend_schema(parameters=[SLUG], request=None, responses={200: s.MailDomainSerializer}),
)
class MailDomainViewSet(viewsets.GenericViewSet):
    """The mail domains the caller has a role on, newest first, with their mailbox counts."""

    queryset = MailDomain.objects.none()
    serializer_class = s.MailDomainSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/.]+"
    # A name two requests add at once; a disabled domain is not checked.
    schema_error_statuses = {"create": {409}, "fetch": {400}}

    def list(self, request):
        params = list_params(request, SearchOrderingQuerySerializer)
        queryset = selectors.domain_search(selectors.domain_list_visible_to(user=request.user), params.get("q"))
        page = self.paginate_queryset(selectors.domain_order(queryset, params.get("ordering")))
        return self.get_paginated_response(s.MailDomainSerializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return Response(s.MailDomainSerializer(selectors.domain_get_visible(user=request.user, slug=slug)).data)

    def create(self, request):
        serializer = s.MailDomainCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        domain = domain_services.mail_domain_create(actor=request.user, **serializer.validated_data)
        data = s.MailDomainSerializer(selectors.domain_get_visible(user=request.user, slug=domain.slug)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def fetch(self, request, slug=None):
        """Check the domain on the mail platform again now (owners, administrators)."""
        domain_services.mail_domain_fetch(actor=request.user, domain=slug)
        return Response(s.MailDomainSerializer(selectors.domain_get_visible(user=request.user, slug=slug)).data)


class DomainScopedViewSet(viewsets.GenericViewSet):
    """Routes under `mail-domains/{domain_slug}/`: the domain is the caller's, read once."""

    def domain(self) -> MailDomain:
        if not hasattr(self, "_domain"):
            self._domain = selectors.domain_get_visible(user=self.request.user, slug=self.kwargs.get("domain_slug"))
        return self._domain

    def role(self) -> str | None:
        return selectors.role_of(user=self.request.user, domain=self.domain())


@extend_schema_view(
    list=extend_schema(
        parameters=[DOMAIN_SLUG, SearchQuerySerializer, PAGE_SIZE_PARAMETER, ordering_parameter(selectors.ACCESS_ORDERING, "-created_at")]
    ),
    retrieve=extend_schema(parameters=[DOMAIN_SLUG, ID]),
    create=extend_schema(
        parameters=[DOMAIN_SLUG], request=s.MailDomainAccessCreateSerializer,
        responses={201: s.MailDomainAccessSerializer},
    ),
    update=extend_schema(
        parameters=[DOMAIN_SLUG, ID], request=s.MailDomainAccessUpdateSerializer,
        responses={200: s.MailDomainAccessSerializer},
    ),
    partial_update=extend_schema(
        parameters=[DOMAIN_SLUG, ID], request=s.MailDomainAccessUpdateSerializer,
        responses={200: s.MailDomainAccessSerializer},
    ),
    destroy=extend_schema(parameters=[DOMAIN_SLUG, ID], responses={204: None}),
    users=extend_schema(parameters=[DOMAIN_SLUG, SearchQuerySerializer, PAGE_SIZE_PARAMETER], responses=s.MailDomainAccessCandidateSerializer(many=True)),
)
class MailDomainAccessViewSet(ServiceUpdateMixin, DomainScopedViewSet):
    """Who has a role on the domain; each row says to which roles the caller may set it."""

    queryset = MailDomainAccess.objects.none()
    serializer_class = s.MailDomainAccessSerializer
    # The last owner stays (400 `last_owner`); a sign-in may accept an invitation meanwhile.
    schema_error_statuses = {"destroy": {400}, "create": {409}}

    def context(self, *, fresh: bool = False) -> dict[str, Any]:
        domain = self.domain()
        role = selectors.role_of(user=self.request.user, domain=domain, fresh=fresh)
        return {"actor_role": role, "owner_count": selectors.owner_count(domain=domain)}

    def _access(self, pk: Any) -> MailDomainAccess:
        return selectors.access_get(domain=self.domain(), access_id=pk)

    def list(self, request, domain_slug=None):
        params = list_params(request, SearchOrderingQuerySerializer)
        queryset = selectors.access_search(selectors.access_list_for(domain=self.domain()), params.get("q"))
        page = self.paginate_queryset(selectors.access_order(queryset, params.get("ordering")))
        return self.get_paginated_response(s.MailDomainAccessSerializer(page, many=True, context=self.context()).data)

    def retrieve(self, request, domain_slug=None, pk=None):
        return Response(s.MailDomainAccessSerializer(self._access(pk), context=self.context()).data)

    def create(self, request, domain_slug=None):
        serializer = s.MailDomainAccessCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = domain_services.mail_domain_access_create(
            actor=request.user, domain=self.domain().slug, **serializer.validated_data
        )
        data = s.MailDomainAccessSerializer(access, context=self.context(fresh=True)).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_service_update(self, request, *, partial: bool, domain_slug=None, pk=None):
        access = self._access(pk)
        serializer = s.MailDomainAccessUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data.get("role", access.role)
        access = domain_services.mail_domain_access_update(actor=request.user, access=access, role=role)
        return Response(s.MailDomainAccessSerializer(access, context=self.context(fresh=True)).data)

    def destroy(self, request, domain_slug=None, pk=None):
        domain_services.mail_domain_access_delete(actor=request.user, access=self._access(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["get"], pagination_class=ArrayUnlessPagedPagination)
    def users(self, request, domain_slug=None):
        """Users the caller may give a role (owners, administrators): their organization's, and
        anyone named by their exact e-mail address in `q`, less those who have one. A plain
        array unless `page` or `page_size` asks for pages."""
        params = list_params(request, SearchQuerySerializer)
        domain = self.domain()
        if not policies.role_can_manage(self.role()):
            raise PermissionDenied()
        users = selectors.access_candidates(user=request.user, domain=domain, query=params.get("q"))
        page = self.paginate_queryset(users)
        rows = s.MailDomainAccessCandidateSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(rows.data)


@extend_schema_view(
    list=extend_schema(parameters=[DOMAIN_SLUG, PAGE_SIZE_PARAMETER]),
    retrieve=extend_schema(parameters=[DOMAIN_SLUG, ID]),
    create=extend_schema(
        parameters=[DOMAIN_SLUG], request=s.MailDomainInvitationCreateSerializer,
        responses={
            201: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="MailDomainInvitationOrAccess",
                    serializers=[s.MailDomainInvitationSerializer, s.MailDomainAccessCreatedSerializer],
                    resource_type_field_name=None,
                ),
                description="The invitation; or, when the e-mail already belongs to a user, the access created "
                "at once instead, with a `detail` saying so.",
            )
        },
    ),
    destroy=extend_schema(parameters=[DOMAIN_SLUG, ID], responses={204: None}),
    refresh=extend_schema(
        parameters=[DOMAIN_SLUG, ID], request=None,
        responses={200: s.MailDomainInvitationSerializer, 201: EMAIL_KNOWN_RESPONSE},
    ),
)
class MailDomainInvitationViewSet(DomainScopedViewSet):
    """Addresses invited to manage the domain, newest first, expired ones included."""

    queryset = MailDomainInvitation.objects.none()
    serializer_class = s.MailDomainInvitationSerializer
    schema_error_statuses = {"create": {409}, "refresh": {409}}

    def _invitation(self, pk: Any) -> MailDomainInvitation:
        return selectors.invitation_get(domain=self.domain(), invitation_id=pk)

    def _answer(self, result: Any, *, invitation_status: int) -> Response:
        if isinstance(result, MailDomainAccess):
            context = {
                "actor_role": selectors.role_of(user=self.request.user, domain=self.domain(), fresh=True),
                "owner_count": selectors.owner_count(domain=self.domain()),
                "detail": gettext("Email already known. Invitation not sent but access created instead."),
            }
            data = s.MailDomainAccessCreatedSerializer(result, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        return Response(s.MailDomainInvitationSerializer(result).data, status=invitation_status)

    def list(self, request, domain_slug=None):
        page = self.paginate_queryset(selectors.invitation_list_for(domain=self.domain()))
        return self.get_paginated_response(s.MailDomainInvitationSerializer(page, many=True).data)

    def retrieve(self, request, domain_slug=None, pk=None):
        return Response(s.MailDomainInvitationSerializer(self._invitation(pk)).data)

    def create(self, request, domain_slug=None):
        serializer = s.MailDomainInvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = domain_services.mail_domain_invitation_create(
            actor=request.user, domain=self.domain().slug, **serializer.validated_data
        )
        return self._answer(result, invitation_status=status.HTTP_201_CREATED)

    def destroy(self, request, domain_slug=None, pk=None):
        domain_services.mail_domain_invitation_delete(actor=request.user, invitation=self._invitation(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def refresh(self, request, domain_slug=None, pk=None):
        """Valid again from now, and the e-mail sent again."""
        result = domain_services.mail_domain_invitation_refresh(actor=request.user, invitation=self._invitation(pk))
        return self._answer(result, invitation_status=status.HTTP_200_OK)


MAILBOX_ACTION = extend_schema(parameters=[DOMAIN_SLUG, ID], request=None, responses={200: s.MailboxSerializer})


@extend_schema_view(
    list=extend_schema(
        parameters=[DOMAIN_SLUG, SearchQuerySerializer, PAGE_SIZE_PARAMETER, ordering_parameter(selectors.MAILBOX_ORDERING, "-created_at")]
    ),
    retrieve=extend_schema(parameters=[DOMAIN_SLUG, ID]),
    create=extend_schema(
        parameters=[DOMAIN_SLUG], request=s.MailboxCreateSerializer, responses={201: s.MailboxSerializer}
    ),
    update=extend_schema(
        parameters=[DOMAIN_SLUG, ID], request=s.MailboxUpdateSerializer, responses={200: s.MailboxSerializer}
    ),
    partial_update=extend_schema(
        parameters=[DOMAIN_SLUG, ID], request=s.MailboxUpdateSerializer, responses={200: s.MailboxSerializer}
    ),
    disable=MAILBOX_ACTION,
    enable=MAILBOX_ACTION,
    reset_password=MAILBOX_ACTION,
    login_link=MAILBOX_ACTION,
)
class MailboxViewSet(ServiceUpdateMixin, DomainScopedViewSet):
    """The domain's mailboxes, newest first; never deleted (disabled instead)."""

    queryset = Mailbox.objects.none()
    serializer_class = s.MailboxSerializer
    # Two requests taking one address or name at once; rules on the domain's and mailbox's state.
    schema_error_statuses = {
        "create": {409},
        "update": {409},
        "partial_update": {409},
        "disable": {400},
        "enable": {400},
        "reset_password": {400},
        "login_link": {400},
    }

    def context(self) -> dict[str, Any]:
        return {"domain": self.domain(), "role": self.role(), "user": self.request.user}

    def _mailbox(self, pk: Any) -> Mailbox:
        return selectors.mailbox_get(domain=self.domain(), mailbox_id=pk)

    def _answer(self, mailbox: Mailbox, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.mailbox_get(domain=self.domain(), mailbox_id=mailbox.pk)
        return Response(s.MailboxSerializer(fresh, context=self.context()).data, status=status_code)

    def list(self, request, domain_slug=None):
        params = list_params(request, SearchOrderingQuerySerializer)
        queryset = selectors.mailbox_search(selectors.mailbox_list_for(domain=self.domain()), params.get("q"))
        page = self.paginate_queryset(selectors.mailbox_order(queryset, params.get("ordering")))
        return self.get_paginated_response(s.MailboxSerializer(page, many=True, context=self.context()).data)

    def retrieve(self, request, domain_slug=None, pk=None):
        return Response(s.MailboxSerializer(self._mailbox(pk), context=self.context()).data)

    def create(self, request, domain_slug=None):
        serializer = s.MailboxCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mailbox = mailbox_services.mailbox_create(
            actor=request.user, domain=self.domain().slug, **serializer.validated_data
        )
        return self._answer(mailbox, status_code=status.HTTP_201_CREATED)

    def perform_service_update(self, request, *, partial: bool, domain_slug=None, pk=None):
        mailbox = self._mailbox(pk)
        serializer = s.MailboxUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        mailbox = mailbox_services.mailbox_update(actor=request.user, mailbox=mailbox, **serializer.validated_data)
        return self._answer(mailbox)

    @action(detail=True, methods=["post"])
    def disable(self, request, domain_slug=None, pk=None):
        """Disable the mailbox on the mail platform (owners, administrators)."""
        return self._answer(mailbox_services.mailbox_set_active(actor=request.user, mailbox=self._mailbox(pk), active=False))

    @action(detail=True, methods=["post"])
    def enable(self, request, domain_slug=None, pk=None):
        """Enable the mailbox again (owners, administrators)."""
        return self._answer(mailbox_services.mailbox_set_active(actor=request.user, mailbox=self._mailbox(pk), active=True))

    @action(detail=True, methods=["post"])
    def reset_password(self, request, domain_slug=None, pk=None):
        """A new password nobody learns; a one-time login link goes to the secondary address."""
        return self._answer(mailbox_services.mailbox_reset_password(actor=request.user, mailbox=self._mailbox(pk)))

    @action(detail=True, methods=["post"])
    def login_link(self, request, domain_slug=None, pk=None):
        """A one-time webmail login link, sent to the secondary address."""
        return self._answer(mailbox_services.mailbox_send_login_link(actor=request.user, mailbox=self._mailbox(pk)))


@extend_schema_view(
    list=extend_schema(
        parameters=[DOMAIN_SLUG, SearchQuerySerializer, PAGE_SIZE_PARAMETER, ordering_parameter(selectors.ALIAS_ORDERING, "local_part")]
    ),
    create=extend_schema(parameters=[DOMAIN_SLUG], request=s.AliasCreateSerializer, responses={201: s.AliasSerializer}),
    destroy=extend_schema(parameters=[DOMAIN_SLUG, ID], responses={204: None}),
)
class AliasViewSet(DomainScopedViewSet):
    """The domain's aliases, by local part."""

    queryset = Alias.objects.none()
    serializer_class = s.AliasSerializer
    schema_error_statuses = {"create": {409}}

    def context(self) -> dict[str, Any]:
        domain = self.domain()
        return {"domain": domain, "role": self.role(), "domain_data": s.MailDomainSerializer(domain).data}

    def list(self, request, domain_slug=None):
        params = list_params(request, SearchOrderingQuerySerializer)
        queryset = selectors.alias_search(selectors.alias_list_for(domain=self.domain()), params.get("q"))
        page = self.paginate_queryset(selectors.alias_order(queryset, params.get("ordering")))
        return self.get_paginated_response(s.AliasSerializer(page, many=True, context=self.context()).data)

    def create(self, request, domain_slug=None):
        serializer = s.AliasCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alias = alias_services.alias_create(actor=request.user, domain=self.domain().slug, **serializer.validated_data)
        fresh = selectors.alias_get(domain=self.domain(), alias_id=alias.pk)
        return Response(s.AliasSerializer(fresh, context=self.context()).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, domain_slug=None, pk=None):
        alias = selectors.alias_get(domain=self.domain(), alias_id=pk)
        alias_services.alias_delete(actor=request.user, alias=alias)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[DOMAIN_SLUG, s.AliasBulkDeleteQuerySerializer], request=None, responses={204: None},
        operation_id="mail_domains_aliases_destroy_local_part",
    )
    def bulk_destroy(self, request, domain_slug=None):
        """Delete every alias of a local part (`?local_part=`), at once (owners, administrators)."""
        params = list_params(request, s.AliasBulkDeleteQuerySerializer)
        alias_services.alias_delete_local_part(actor=request.user, domain=self.domain().slug, local_part=params["local_part"])
        return Response(status=status.HTTP_204_NO_CONTENT)
