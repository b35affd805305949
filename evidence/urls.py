"""Dashboard URLs of evidence (mounted at the site root by config/urls.py)."""

from django.urls import path

from evidence.views import custody, files

app_name = "evidence"

urlpatterns = [
    path("cases/<str:reference>/files/", files.CaseFilesView.as_view(), name="case_files"),
    path("cases/<str:reference>/files/upload/", files.FileUploadView.as_view(), name="file_upload"),
    path("cases/<str:reference>/files/<int:file_id>/", files.FileDetailView.as_view(), name="file_detail"),
    path("cases/<str:reference>/files/<int:file_id>/download/", files.FileDownloadView.as_view(), name="file_download"),
    path("cases/<str:reference>/files/<int:file_id>/derive/", files.DerivativeCreateView.as_view(), name="file_derive"),
    path("cases/<str:reference>/files/<int:file_id>/redact/", files.RedactView.as_view(), name="file_redact"),
    path("cases/<str:reference>/custody/", custody.CustodyReportView.as_view(), name="custody_report"),
    path("cases/<str:reference>/custody/manifest.zip", custody.CustodyManifestView.as_view(), name="custody_manifest"),
    path("evidence/public-key.pem", custody.PublicKeyView.as_view(), name="public_key"),
]
