"""The import API's routes (included under /api/v1/ by config/api_urls.py)."""

from django.urls import path

from exchange.api import views

urlpatterns = [
    path("imports/", views.ImportUploadView.as_view(), name="api-import-upload"),
    path("imports/<int:pk>/", views.ImportBatchView.as_view(), name="api-import-detail"),
    path("imports/<int:pk>/commit/", views.ImportCommitView.as_view(), name="api-import-commit"),
    path("imports/<int:pk>/undo/", views.ImportUndoView.as_view(), name="api-import-undo"),
]
