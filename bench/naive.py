"""The naive DRF baseline: what a typical project writes first.

A plain ``ModelViewSet`` per model with ``fields = "__all__"`` serializers,
``PageNumberPagination`` (a ``COUNT(*)`` and an ``OFFSET`` per page) and no
query tuning (no ``select_related``, no ``prefetch_related``: related rows are
fetched per object). It keeps Vigil's access rule (``visible_to``) and the
same filters, so it answers the same questions on the same rows; served by
``gunicorn`` with ``DJANGO_SETTINGS_MODULE=bench.naive_settings``.
"""

from __future__ import annotations

from django.urls import include, path
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import SimpleRouter

from casework.filtersets import CaseFilterSet
from casework.models import Case
from events.filtersets import EventFilterSet
from events.models import Event
from people.filtersets import PersonFilterSet
from people.models import Person


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CaseSerializer(CountryFieldMixin, serializers.ModelSerializer):
    class Meta:
        model = Case
        exclude = ("search_vector",)
        depth = 0


class PersonSerializer(CountryFieldMixin, serializers.ModelSerializer):
    class Meta:
        model = Person
        exclude = ("name_keys",)


class EventSerializer(CountryFieldMixin, serializers.ModelSerializer):
    class Meta:
        model = Event
        exclude = ("search_vector",)


class VisibleViewSet(viewsets.ModelViewSet):
    pagination_class = Pages

    def get_queryset(self):
        return self.serializer_class.Meta.model.objects.visible_to(self.request.user)


class CaseViewSet(VisibleViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-opened_on", "-id")


class PersonViewSet(VisibleViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet


class EventViewSet(VisibleViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("occurred_on", "id")


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="naive-case")
router.register("people", PersonViewSet, basename="naive-person")
router.register("events", EventViewSet, basename="naive-event")

urlpatterns = [path("naive/", include(router.urls))]
