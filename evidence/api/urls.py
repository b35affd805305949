"""Evidence's API routes (included under /api/v1/ by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from evidence.api import views

router = SimpleRouter()
router.register("files", views.FileViewSet, basename="api-file")
router.register("uploads", views.UploadViewSet, basename="api-upload")

urlpatterns = router.urls
