"""Vigil's URLs: admin, health check, the sign-in pages and the dashboard; the API hangs off here too."""

from django.contrib import admin
from django.urls import include, path

from core.account import account_view, language_switch
from core.admin import view_on_site
from core.admin_bin import bin_view
from core.observability import metrics
from core.two_factor import two_factor_view
from core.views import healthz, readyz

# A database outage met outside any view or middleware that catches it: 503, not 500.
handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("accounts/two-factor/", two_factor_view, name="two-factor"),
    path("admin/bin/", admin.site.admin_view(bin_view), name="admin-bin"),
    # Before admin.site.urls, to replace its "view on site" redirect with one that applies visible_to().
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # Dashboard (docs/dashboard.md): sign-in and password pages, people, then casework and the timeline at /, and the
    # pages joining several apps (dashboard/: home, search, case and person pages).
    path("accounts/", account_view, name="account"),
    path("accounts/language/", language_switch, name="language-switch"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("people/", include("people.urls")),
    path("watch/", include("watch.urls")),
    path("imports/", include("exchange.urls")),
    path("exports/", include("exchange.export_urls")),
    path("", include("events.urls")),
    path("", include("evidence.urls")),
    path("", include("casework.urls")),
    path("", include("dashboard.urls")),
]
