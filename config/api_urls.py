"""The REST API, /api/v1/: each app's routes, the token endpoint, the schema and its docs."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api.exceptions import api_not_found
from core.api.tokens import TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # A browser without a session is sent to the login page. The page's assets are served
    # locally (sidecar) and its set-up script is a file of its own: no inline script for CSP to block.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("", include("people.api.urls")),
    path("", include("casework.api.urls")),
    path("", include("events.api.urls")),
    path("", include("watch.api.urls")),
    path("", include("evidence.api.urls")),
    path("", include("exchange.api.urls")),
    re_path(r"^.*$", api_not_found),
]
