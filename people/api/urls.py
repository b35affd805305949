"""People's API routes (included under /api/v1/ by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from people.api import views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="api-person")
router.register("person-names", views.PersonNameViewSet, basename="api-personname")
router.register("person-identifiers", views.PersonIdentifierViewSet, basename="api-personidentifier")
router.register("detentions", views.DetentionViewSet, basename="api-detention")

urlpatterns = router.urls
