from django.urls import path
from rest_framework.routers import SimpleRouter

from people.teams.api.resource_server import views

router = SimpleRouter()
router.register("teams", views.TeamViewSet, basename="resource-server-teams")
router.register(
    r"teams/(?P<team_id>[^/.]+)/invitations", views.InvitationViewSet, basename="resource-server-team-invitations"
)

urlpatterns = [
    path("teams/<str:team_id>/accesses/", views.ServiceTeamAccessView.as_view(), name="resource-server-team-accesses"),
    *router.urls,
]
