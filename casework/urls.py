"""Dashboard URLs of casework (mounted at the site root by config/urls.py): the export and the quick
actions on a case's notes and follow-ups. The case page and the pages joining several apps are
dashboard/urls.py's."""

from django.urls import path

from casework.views import actions, export

urlpatterns = [
    path("cases/export.csv", export.CaseExportView.as_view(), name="case_export"),
    path("cases/<str:reference>/notes/new/", actions.NoteCreateView.as_view(), name="note_create"),
    path("cases/<str:reference>/follow-ups/new/", actions.FollowUpCreateView.as_view(), name="follow_up_create"),
    path(
        "cases/<str:reference>/follow-ups/<int:follow_up_id>/done/",
        actions.FollowUpCompleteView.as_view(),
        name="follow_up_complete",
    ),
]
