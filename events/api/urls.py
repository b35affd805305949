"""Events' API routes (included under /api/v1/ by config/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from events.api import developments, views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="api-event")
router.register("sources", views.SourceViewSet, basename="api-source")
router.register("citations", views.CitationViewSet, basename="api-citation")

urlpatterns = [
    path("cases/<str:case>/timeline/", views.CaseTimelineView.as_view(), name="api-case-timeline"),
    path("cases/<str:case>/developments/", developments.CaseDevelopmentView.as_view(), name="api-case-developments"),
    *router.urls,
]
