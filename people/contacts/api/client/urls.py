from rest_framework.routers import SimpleRouter

from people.contacts.api.client import views

router = SimpleRouter()
router.register("contacts", views.ContactViewSet, basename="contacts")

urlpatterns = router.urls
