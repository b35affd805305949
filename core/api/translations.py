"""Translations of a record's text in the API (core.models.TextTranslation).

Every resource whose text keeps its original words (requests, positions, events,
notes, sources: ``core.models.Translatable``) carries ``original_language`` and
``translations`` in its representation, read with the page (one prefetch), and
takes a new one at ``POST <resource>/{id}/translations/``, through the service
the dashboard uses (``core.services.translation_record``): a translation into a
language the text already has replaces it. Who may: whoever may change that kind
of record, on a record they may see (else 404, as for any record they may not).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.serializers import TextTranslationSerializer, drf_error
from core.models import TranslationKind


class TranslationInputSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Which text: `description`, `title`, `words`, `body`, …")
    language = serializers.CharField(max_length=16, help_text="BCP 47: `ko`, `uk`, `ru`, `en`.")
    text = serializers.CharField(trim_whitespace=True)
    kind = serializers.ChoiceField(choices=TranslationKind.choices, default=TranslationKind.HUMAN)
    translated_by = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Empty for a human one: you."
    )
    checked = serializers.BooleanField(required=False, default=False)
    checked_by = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Empty when checked: you."
    )


class TranslationsActionMixin:
    """``POST <resource>/{id}/translations/`` on a viewset of a ``Translatable`` model."""

    @extend_schema(
        request=TranslationInputSerializer,
        responses={201: TextTranslationSerializer},
        summary=_("Add a translation of one of this record's texts (or replace the one into that language)"),
    )
    @action(detail=True, methods=["post"], url_path="translations", permission_classes=[IsAuthenticated])
    def translations(self, request, pk=None):
        from core.services import translation_record

        if not str(pk).isascii() or not str(pk).isdigit():
            raise NotFound
        # The record as its list finds it: visible_to(user), sensitive ones only for who may see them.
        record = get_object_or_404(self.get_queryset(), pk=int(pk))
        opts = record._meta
        if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise PermissionDenied(
                gettext("Translating needs the “change %(record)s” permission.") % {"record": opts.verbose_name}
            )
        data = TranslationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            translation = translation_record(user=request.user, record=record, **data.validated_data)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        return Response(TextTranslationSerializer(translation).data, status=status.HTTP_201_CREATED)
