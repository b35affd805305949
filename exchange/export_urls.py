"""Dashboard URLs of exports (mounted at /exports/ by config/urls.py)."""

from django.urls import path

from exchange.views import exports

urlpatterns = [
    path("", exports.ExportView.as_view(), name="export"),
    path("<int:pk>/approve/", exports.ExportApproveView.as_view(), name="export_approve"),
    path("<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
]
