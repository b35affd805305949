"""Dashboard URLs of exports (mounted at /exports/ by config/urls.py)."""

from django.urls import path

from exchange.views import exports, profiles

urlpatterns = [
    path("", exports.ExportView.as_view(), name="export"),
    path("<int:pk>/approve/", exports.ExportApproveView.as_view(), name="export_approve"),
    path("profiles/", profiles.ProfileListView.as_view(), name="export_profiles"),
    path("profiles/<int:pk>/", profiles.ProfileEditView.as_view(), name="export_profile"),
    path("<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
]
