"""Dashboard URLs of the pages that join several apps (mounted at the site root by config/urls.py):
home, search, the case list and page, the dossier, the person page, and the quick actions citing a source.
Each app's own pages are in its urls.py."""

from django.urls import path

from dashboard.views import actions, advocacy, cases, dossier, home, person, search, translations

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("cases/", cases.CaseListView.as_view(), name="case_list"),
    path("cases/<str:reference>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<str:reference>/dossier/", dossier.CaseDossierView.as_view(), name="case_dossier"),
    path(
        "cases/<str:reference>/requests/<int:request_id>/update/",
        actions.RequestUpdateView.as_view(),
        name="request_update",
    ),
    path("cases/<str:reference>/positions/new/", actions.PositionCreateView.as_view(), name="position_create"),
    path(
        "cases/<str:reference>/interventions/new/",
        advocacy.InterventionCreateView.as_view(),
        name="intervention_create",
    ),
    path(
        "cases/<str:reference>/legal-arguments/new/",
        advocacy.LegalArgumentCreateView.as_view(),
        name="legal_argument_create",
    ),
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
    path("people/<int:pk>/", person.PersonDetailView.as_view(), name="person_detail"),
]
