"""Dashboard URLs of people (mounted at /people/ by config/urls.py)."""

from django.urls import path

from people import views

urlpatterns = [
    path("", views.PersonSearchView.as_view(), name="person_search"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
]
