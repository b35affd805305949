"""The import and export API's routes (included under /api/v1/ by config/api_urls.py)."""

from django.urls import path

from exchange.api import exports, views

urlpatterns = [
    path("imports/", views.ImportUploadView.as_view(), name="api-import-upload"),
    path("imports/<int:pk>/", views.ImportBatchView.as_view(), name="api-import-detail"),
    path("imports/<int:pk>/commit/", views.ImportCommitView.as_view(), name="api-import-commit"),
    path("imports/<int:pk>/undo/", views.ImportUndoView.as_view(), name="api-import-undo"),
    path("exports/", exports.ExportListView.as_view(), name="api-export-list"),
    path("exports/profiles/", exports.ExportProfileListView.as_view(), name="api-export-profiles"),
    path("exports/profiles/<int:pk>/", exports.ExportProfileDetailView.as_view(), name="api-export-profile"),
    path("exports/<int:pk>/", exports.ExportDetailView.as_view(), name="api-export-detail"),
    path("exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="api-export-download"),
    path("exports/<int:pk>/approve/", exports.ExportApproveView.as_view(), name="api-export-approve"),
]
