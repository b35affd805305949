"""Casework's API routes (included under /api/v1/ by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from casework.api import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="api-case")
router.register("case-subjects", views.CaseSubjectViewSet, basename="api-casesubject")
router.register("requests", views.StatedRequestViewSet, basename="api-request")
router.register("request-updates", views.RequestUpdateViewSet, basename="api-requestupdate")
router.register("governments", views.GovernmentViewSet, basename="api-government")
router.register("actors", views.ActorViewSet, basename="api-actor")
router.register("legal-bases", views.LegalBasisViewSet, basename="api-legalbasis")
router.register("legal-arguments", views.LegalArgumentViewSet, basename="api-legalargument")
router.register("involvements", views.InvolvementViewSet, basename="api-involvement")
router.register("positions", views.PositionStatementViewSet, basename="api-position")
router.register("interventions", views.InterventionViewSet, basename="api-intervention")
router.register("notes", views.CaseNoteViewSet, basename="api-note")
router.register("follow-ups", views.FollowUpViewSet, basename="api-followup")

urlpatterns = router.urls
