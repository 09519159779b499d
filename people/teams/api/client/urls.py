from rest_framework.routers import SimpleRouter

from people.teams.api.client import views

router = SimpleRouter()
router.register("teams", views.TeamViewSet, basename="teams")
router.register(r"teams/(?P<team_id>[^/.]+)/accesses", views.TeamAccessViewSet, basename="team-accesses")
router.register(r"teams/(?P<team_id>[^/.]+)/invitations", views.InvitationViewSet, basename="team-invitations")
router.register(r"teams/(?P<team_id>[^/.]+)/webhooks", views.TeamWebhookViewSet, basename="team-webhooks")

urlpatterns = router.urls
