"""Dashboard URLs of the timeline (mounted at the site root by config/urls.py)."""

from django.urls import path

from events import views

urlpatterns = [
    path("cases/<str:reference>/events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("cases/<str:reference>/developments/new/", views.DevelopmentView.as_view(), name="development_create"),
]
