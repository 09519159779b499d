from django.urls import include, path
from rest_framework.routers import SimpleRouter

from people.core.api.views import ConfigView
from people.identity.api.client import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="users")
router.register("organizations", views.OrganizationViewSet, basename="organizations")
router.register("service-providers", views.ServiceProviderViewSet, basename="service-providers")

urlpatterns = [
    path("config/", ConfigView.as_view(), name="config"),
    path("", include(router.urls)),
]
