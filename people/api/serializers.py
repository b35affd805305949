"""People, with their names, identifiers and detentions nested for reading.

Names, identifiers and detentions are written through their own endpoints
(``person-names``, ``person-identifiers``, ``detentions``), each pointing to its
person by id: one record per request, the same shape as every other resource.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import VigilModelSerializer
from core.exposure import api_fields
from people.models import Detention, Person, PersonIdentifier, PersonName

# The cases a person is in are casework's, a layer above people (tests/project/test_layers.py): named, not imported.
CaseSubject = apps.get_model("casework", "CaseSubject")


class PersonNameSerializer(VigilModelSerializer):
    readable = ("person",)

    class Meta:
        model = PersonName
        fields = api_fields("people.PersonName")
        url_name = "api-personname-detail"


class PersonIdentifierSerializer(VigilModelSerializer):
    readable = ("person",)

    class Meta:
        model = PersonIdentifier
        fields = api_fields("people.PersonIdentifier")
        url_name = "api-personidentifier-detail"


class DetentionSerializer(VigilModelSerializer):
    readable = ("person", "authority")

    class Meta:
        model = Detention
        fields = api_fields("people.Detention")
        url_name = "api-detention-detail"


class PersonCaseSerializer(serializers.ModelSerializer):
    """A case the person is in (only cases the reader may see), with their role."""

    class Meta:
        model = CaseSubject
        fields = ("id", "case", "role")


class PersonSerializer(VigilModelSerializer):
    """A person. Health, welfare, family and GC III details (``Person.SENSITIVE_FIELDS``)
    are present only for users who may see sensitive details."""

    names = PersonNameSerializer(many=True, read_only=True)
    identifiers = PersonIdentifierSerializer(many=True, read_only=True)
    detentions = DetentionSerializer(many=True, read_only=True)
    cases = serializers.SerializerMethodField(
        help_text=_("The cases you may see that this person is in, with their role.")
    )

    class Meta:
        model = Person
        fields = api_fields("people.Person", "names", "identifiers", "detentions", "cases")
        url_name = "api-person-detail"

    @extend_schema_field(PersonCaseSerializer(many=True))
    def get_cases(self, person):
        rows = getattr(person, "visible_case_rows", None)  # annotated by the viewset
        if rows is None:  # a person just written
            subjects = CaseSubject.objects.visible_to(self.user).filter(person=person).order_by("case_id", "id")
            rows = list(subjects.values("id", "case", "role"))
        return rows
