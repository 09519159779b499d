"""Routes of the mail domains, as the suite's front end calls them."""

from rest_framework.routers import Route, SimpleRouter

from people.mail.api.client import views


class MailRouter(SimpleRouter):
    """SimpleRouter, plus `DELETE` on a list route for viewsets with `bulk_destroy` (all the
    aliases of a local part: `DELETE mail-domains/{slug}/aliases/?local_part=`)."""

    routes = [
        Route(
            url=route.url,
            mapping={**route.mapping, "delete": "bulk_destroy"},
            name=route.name,
            detail=route.detail,
            initkwargs=route.initkwargs,
        )
        if isinstance(route, Route) and not route.detail and route.mapping.get("get") == "list"
        else route
        for route in SimpleRouter.routes
    ]


DOMAIN = r"mail-domains/(?P<domain_slug>[^/.]+)"

router = MailRouter()
router.register("mail-domains", views.MailDomainViewSet, basename="mail-domains")
router.register(f"{DOMAIN}/accesses", views.MailDomainAccessViewSet, basename="mail-domain-accesses")
router.register(f"{DOMAIN}/invitations", views.MailDomainInvitationViewSet, basename="mail-domain-invitations")
router.register(f"{DOMAIN}/mailboxes", views.MailboxViewSet, basename="mail-domain-mailboxes")
router.register(f"{DOMAIN}/aliases", views.AliasViewSet, basename="mail-domain-aliases")

urlpatterns = router.urls
