"""Dashboard URLs of casework (mounted at the site root by config/urls.py)."""

from django.urls import path

from casework.views import actions, cases, dossier, export, home, search, translations

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("cases/", cases.CaseListView.as_view(), name="case_list"),
    path("cases/export.csv", export.CaseExportView.as_view(), name="case_export"),
    path("cases/<str:reference>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<str:reference>/dossier/", dossier.CaseDossierView.as_view(), name="case_dossier"),
    path(
        "cases/<str:reference>/requests/<int:request_id>/update/",
        actions.RequestUpdateView.as_view(),
        name="request_update",
    ),
    path("cases/<str:reference>/positions/new/", actions.PositionCreateView.as_view(), name="position_create"),
    path("cases/<str:reference>/notes/new/", actions.NoteCreateView.as_view(), name="note_create"),
    path("cases/<str:reference>/follow-ups/new/", actions.FollowUpCreateView.as_view(), name="follow_up_create"),
    path(
        "cases/<str:reference>/translations/<str:kind>/<int:record_id>/",
        translations.RecordTranslationsView.as_view(),
        name="record_translations",
    ),
    path(
        "cases/<str:reference>/translations/<str:kind>/<int:record_id>/<int:translation_id>/checked/",
        translations.TranslationCheckView.as_view(),
        name="translation_check",
    ),
    path(
        "cases/<str:reference>/follow-ups/<int:follow_up_id>/done/",
        actions.FollowUpCompleteView.as_view(),
        name="follow_up_complete",
    ),
]
