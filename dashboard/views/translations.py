"""Translations of a record's text, from the case page: a request in the person's
words, a position statement, an event's title and description, a note, a
source's title. The original stays as it is; any number of translations sit
beside it (``core.models.TextTranslation``), each written through
``core.services.translation_record`` (history: channel "dashboard").

Who may: whoever may change that kind of record (an editor), on a record they
may see: its case visible to them, and a sensitive record (a welfare incident,
an event marked sensitive) only with ``people.view_sensitive``. Anyone else gets
the 404 of a record that does not exist, or the 403 of a missing permission.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from casework.models import CaseNote, PositionStatement, StatedRequest
from casework.views.common import CaseActionMixin
from core.forms import add_service_errors
from core.models import TranslationKind
from core.services import translation_check, translation_record
from core.templatetags.translations import language_name
from dashboard.selectors import translatable_record
from events.models import Event, Source

#: The URL's kind → the model, and the lookup from it to its case.
KINDS = {
    "request": (StatedRequest, "case"),
    "position": (PositionStatement, "involvement__case"),
    "event": (Event, "case"),
    "note": (CaseNote, "case"),
    "source": (Source, None),  # cited in the case (events.selectors.case_sources)
}


#: Each translatable text as the page names it.
TEXT_LABELS = {
    "words": _("In their words"),
    "statement_original": _("Statement"),
    "title": _("Title"),
    "description": _("Description"),
    "body": _("Note"),
}


def text_label(record, name: str) -> str:
    return str(TEXT_LABELS.get(name) or capfirst(record._meta.get_field(name).verbose_name))


def may_translate(user, model) -> bool:
    """Editors: the permission to change that kind of record."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def translate_permissions(user) -> dict[str, bool]:
    """For the case page: which kinds of record ``user`` may translate."""
    return {kind: may_translate(user, model) for kind, (model, _path) in KINDS.items()}


def record_in_case(user, case, kind: str, record_id: int):
    """The record of ``kind`` with this id in ``case`` if ``user`` may see it, else 404
    (``dashboard.selectors.translatable_record``)."""
    if kind not in KINDS:
        raise Http404
    model, path = KINDS[kind]
    return translatable_record(model=model, case_path=path, case=case, user=user, pk=record_id)


class TranslationForm(forms.Form):
    """One translation of one of the record's texts."""

    translation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field = forms.ChoiceField(label=_("text"))
    language = forms.ChoiceField(label=_("language of the translation"))
    text = forms.CharField(label=_("translation"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(
        label=_("made by"), choices=TranslationKind.choices, widget=forms.RadioSelect, initial=TranslationKind.HUMAN
    )
    translated_by = forms.CharField(
        label=_("translated by"),
        max_length=200,
        required=False,
        help_text=_("Empty for a human translation: you. For a machine translation: which service."),
    )
    checked = forms.BooleanField(
        label=_("checked against the original by someone who reads both languages"), required=False
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(name, text_label(record, name)) for name in record.translatable_fields]
        if len(record.translatable_fields) == 1:
            self.fields["field"].widget = forms.HiddenInput()
            self.fields["field"].initial = next(iter(record.translatable_fields))
        languages = [(code, language_name(code)) for code, _name in settings.LANGUAGES]
        known = {code for code, _name in languages}
        # A translation added elsewhere (admin, API) into another language is still editable here.
        others = {t.language for t in record.translations.all()} - known
        self.fields["language"].choices = [("", _("— choose —")), *languages, *((c, c) for c in sorted(others))]


class RecordTranslationsView(CaseActionMixin, TemplateView):
    """GET: the record's original texts, their translations, a form to add one
    (``?edit=<id>``: to correct one). POST: save it."""

    template_name = "casework/translations.html"
    action_name = _("translate a record")

    def dispatch(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in KINDS:
            raise Http404
        app_label, model_name = self._opts(kind)
        self.permission_required = f"{app_label}.change_{model_name}"
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _opts(kind):
        opts = KINDS[kind][0]._meta
        return opts.app_label, opts.model_name

    def get_record(self):
        if not hasattr(self, "record"):
            self.record = record_in_case(self.request.user, self.case, self.kwargs["kind"], self.kwargs["record_id"])
        return self.record

    def editing(self):
        wanted = self.request.POST.get("translation") or self.request.GET.get("edit")
        if not wanted or not str(wanted).isascii() or not str(wanted).isdigit():
            return None
        return next((t for t in self.get_record().translations.all() if t.pk == int(wanted)), None)

    def get_form(self):
        record = self.get_record()
        if self.request.method == "POST":
            return TranslationForm(self.request.POST, record=record)
        edited = self.editing()
        if edited is not None:
            initial = {
                "translation": edited.pk,
                "field": edited.field,
                "language": edited.language,
                "text": edited.text,
                "kind": edited.kind,
                "translated_by": edited.translated_by,
                "checked": edited.checked,
            }
        else:
            reader = (self.request.LANGUAGE_CODE or "").split("-")[0]
            initial = {
                "language": reader if reader != record.original_language(next(iter(record.translatable_fields))) else ""
            }
        return TranslationForm(record=record, initial=initial)

    def get_context_data(self, **kwargs):
        record = self.get_record()
        texts = []
        for name in record.translatable_fields:
            texts.append(
                {
                    "label": text_label(record, name),
                    "original": getattr(record, name) or "",
                    "language": record.original_language(name),
                    "language_name": language_name(record.original_language(name)),
                    "translations": [t for t in record.translations.all() if t.field == name],
                }
            )
        form = kwargs.pop("form", None) or self.get_form()
        for name in ("reference", "kind", "record_id"):  # the URL's, passed on by TemplateView.get
            kwargs.pop(name, None)
        return super().get_context_data(
            record=record,
            kind=self.kwargs["kind"],
            texts=texts,
            form=form,
            editing=self.editing(),
            title=gettext("Translations: %(record)s") % {"record": record},
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            data = form.cleaned_data
            try:
                translation_record(
                    user=request.user,
                    record=self.get_record(),
                    field=data["field"],
                    language=data["language"],
                    text=data["text"],
                    kind=data["kind"],
                    translated_by=data["translated_by"],
                    checked=data["checked"],
                    translation=self.editing(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext("Translation into %(language)s saved.") % {"language": language_name(data["language"])},
                )
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


class TranslationCheckView(CaseActionMixin, View):
    """POST: mark one of the record's translations checked, by the user."""

    http_method_names = ["post"]
    action_name = _("translate a record")

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in KINDS:
            raise Http404
        opts = KINDS[kwargs["kind"]][0]._meta
        self.permission_required = f"{opts.app_label}.change_{opts.model_name}"
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        record = record_in_case(request.user, self.case, kwargs["kind"], kwargs["record_id"])
        translation = next((t for t in record.translations.all() if t.pk == kwargs["translation_id"]), None)
        if translation is None:
            raise Http404
        translation_check(user=request.user, translation=translation)
        messages.success(request, gettext("Marked checked."))
        return HttpResponseRedirect(
            reverse("record_translations", args=[self.case.reference, kwargs["kind"], record.pk])
        )
