"""Dashboard URLs of people (mounted at /people/ by config/urls.py); the person page is dashboard/urls.py's."""

from django.urls import path

from people import views

urlpatterns = [
    path("", views.PersonSearchView.as_view(), name="person_search"),
    path("duplicates/", views.DuplicateQueueView.as_view(), name="duplicate_queue"),
    path("<int:pk>/birth-years/", views.PersonBirthYearsView.as_view(), name="person_birth_years"),
    path("<int:pk>/duplicates/", views.PersonDuplicatesView.as_view(), name="person_duplicates"),
]
