"""Dashboard URLs of imports (mounted at /imports/ by config/urls.py)."""

from django.urls import path

from exchange.views import imports as views

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/rejected.csv", views.RejectedRowsView.as_view(), name="import_rejected"),
]
