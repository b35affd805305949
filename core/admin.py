"""What every Vigil ModelAdmin shares: the access rule, history, audit fields.

``VigilAdmin`` starts every changelist, change view, history view, search and
autocomplete from ``Model.objects.visible_to(user)``: an object the user may
not see is a 404, and never appears in a list, a dropdown or an autocomplete.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import flatten, unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.forms import Textarea
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from core.access import sees_sensitive
from core.admin_translations import TranslationInline  # noqa: F401 (app admins import it from here)
from core.bin import TOUCHES_HIDDEN, bin_move, is_binnable, touches_hidden
from core.dates import FuzzyDate
from core.exposure import guarded_values, hidden_from
from core.forms import VersionedModelForm
from core.hidden_links import MaskingChangeList, guarded_relations, mask_hidden_relations
from core.history import readable_history
from core.querysets import visible

AUDIT_FIELDS = ("created_at", "updated_at")
HISTORY_ROWS = 200


class VisibleRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id field's label and link only for a record the user may see: Django's
    own looks the id up unfiltered and names whatever it finds."""

    def __init__(self, rel, admin_site, *, user, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.user = user

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            found = visible(self.rel.model._default_manager.filter(**{key: value}), self.user).exists()
        except (ValueError, ValidationError):
            found = False
        return super().label_and_url_for_value(value) if found else ("", "")


class VisibleChoicesMixin:
    """Dropdowns, autocompletes and raw-id fields offer, and forms accept, only what the
    user may see: a forged POST with a restricted case's id is refused by the form."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = visible(field.queryset, request.user)
        if field is not None and isinstance(getattr(field, "widget", None), ForeignKeyRawIdWidget):
            widget = field.widget
            field.widget = VisibleRawIdWidget(widget.rel, widget.admin_site, user=request.user, using=widget.db)
        return field

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """A value only who may read it may write (a service number's kind) is not offered
        to, nor accepted from, anyone else (core.exposure.guarded_values)."""
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        guarded = guarded_values(db_field.model).get(db_field.name)
        if guarded and not sees_sensitive(request.user):
            field.choices = [choice for choice in field.choices if choice[0] not in guarded]
        return field


def _without(names, hidden):
    """``names`` (fields, or rows of fields as admin fieldsets write them) less ``hidden``."""
    kept = []
    for name in names:
        if isinstance(name, (tuple, list)):
            row = tuple(part for part in name if part not in hidden)
            if row:
                kept.append(row)
        elif name not in hidden:
            kept.append(name)
    return kept


def with_seen_version(fieldsets):
    """Add the form's hidden ``seen_version`` (core/forms.py) to the first fieldset."""
    if not fieldsets or "seen_version" in fieldsets[0][1]["fields"]:
        return fieldsets
    (title, options), *rest = fieldsets
    return [(title, {**options, "fields": [*options["fields"], "seen_version"]}), *rest]


AS_WRITTEN = "_as_written"


def as_written_column(model, name: str):
    """A reported date (``<name>`` with ``<name>_precision``) as written, "Q4 2025",
    for a changelist column or a read-only field; it sorts by the date."""
    label = capfirst(model._meta.get_field(name).verbose_name)

    @admin.display(description=label, ordering=name)
    def column(obj) -> str:
        return str(FuzzyDate(getattr(obj, name), getattr(obj, f"{name}_precision")))

    column.__name__ = f"{name}{AS_WRITTEN}"
    return column


def _as_written(names, fuzzy: tuple[str, ...], readonly) -> list:
    """``names`` (fields, or rows of fields) with each reported date that is shown, not
    edited, as its as-written column, and its precision (said with it) left out."""
    kept = []
    for name in names:
        if isinstance(name, (tuple, list)):
            row = tuple(_as_written(name, fuzzy, readonly))
            if row:
                kept.append(row)
        elif isinstance(name, str) and name in fuzzy and name in readonly:
            kept.append(f"{name}{AS_WRITTEN}")
        elif (
            isinstance(name, str)
            and name.removesuffix("_precision") in fuzzy
            and name.endswith("_precision")
            and (name.removesuffix("_precision") in readonly)
        ):
            continue
        else:
            kept.append(name)
    return kept


class VigilAdmin(VisibleChoicesMixin, admin.ModelAdmin):
    """Base ModelAdmin: visible_to() everywhere, sensitive fields only for those
    allowed, audit fields read-only, history from the triggers. A reported date is
    shown with its precision ("Q4 2025") wherever it is read, not edited: in lists
    and on read-only pages (``<name>_as_written``)."""

    form = VersionedModelForm
    readonly_fields = AUDIT_FIELDS
    delete_confirmation_template = "admin/vigil_delete_confirmation.html"
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole table on every page

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.fuzzy_dates = tuple(getattr(model, "fuzzy_dates", ()))
        for name in self.fuzzy_dates:
            setattr(self, f"{name}{AS_WRITTEN}", as_written_column(model, name))

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def save_model(self, request, obj, form, change):
        # Who recorded it, where the model keeps that (a person: who sees them while in no case).
        if not change and any(field.name == "created_by" for field in obj._meta.concrete_fields):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        """Deleting a case, person, request, event or source moves it to the bin."""
        if is_binnable(obj):
            bin_move(obj, user=request.user)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if is_binnable(queryset.model):
            for obj in queryset:
                bin_move(obj, user=request.user)
        else:
            super().delete_queryset(request, queryset)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "moves_to_bin": is_binnable(self.model)}
        return super().delete_view(request, object_id, extra_context)

    def save_formset(self, request, form, formset, change):
        """Rows ticked for deletion in an inline go to the bin too, when they can."""
        if not is_binnable(formset.model):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            bin_move(obj, user=request.user)
        for obj in instances:
            obj.save()
        formset.save_m2m()
        return None

    def get_deleted_objects(self, objs, request):
        """What a delete (or "delete selected") would touch, for the confirmation page.
        When it reaches a record the user may not see, nothing but the objects chosen
        is named, nothing is counted, and the delete is refused (``TOUCHES_HIDDEN``,
        shown as the one "protected" reason: Django then deletes nothing)."""
        objs = mask_hidden_relations(objs, request.user)
        links_hidden = any(getattr(obj, "hidden_relations", None) for obj in objs)
        if links_hidden or touches_hidden(objs, user=request.user):
            return [str(obj) for obj in objs], {}, set(), [TOUCHES_HIDDEN]
        if not is_binnable(self.model):
            return super().get_deleted_objects(objs, request)
        # Nothing is destroyed: list only what goes to the bin, and ask for the delete permission.
        to_bin = [str(obj) for obj in objs]
        allowed = all(self.has_delete_permission(request, obj) for obj in objs)
        perms_needed = set() if allowed else {str(self.opts.verbose_name)}
        return to_bin, {str(self.opts.verbose_name_plural): len(to_bin)}, perms_needed, []

    def hidden_fields(self, request) -> set[str]:
        """What the user may not read of the model (core.exposure: its sensitive fields
        without people.view_sensitive, and fields never exposed): left out of forms
        (so never sent nor changed), lists, filters and history."""
        return hidden_from(self.model, request.user)

    def lookup_allowed(self, lookup, value, request):
        """Nor searchable: Django accepts a lookup on any of the model's own fields
        in a changelist's URL (``?health_notes__icontains=…``), which would tell who
        has what; on a hidden field it is refused (400)."""
        if lookup.split(LOOKUP_SEP)[0] in self.hidden_fields(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request, obj=None):
        hidden = self.hidden_fields(request)
        fieldsets = super().get_fieldsets(request, obj)
        kept = [(title, {**options, "fields": _without(options["fields"], hidden)}) for title, options in fieldsets]
        shown = self._read_only_dates(request, obj)
        if shown:
            kept = [(title, {**options, "fields": _as_written(options["fields"], self.fuzzy_dates, shown)})
                    for title, options in kept]  # fmt: skip
        return with_seen_version([(title, options) for title, options in kept if options["fields"]])

    def _read_only_dates(self, request, obj) -> set[str]:
        """The reported dates of the page that are read, not edited."""
        if not self.fuzzy_dates:
            return set()
        if obj is not None and not self.has_change_permission(request, obj):
            return set(self.fuzzy_dates)
        return set(self.fuzzy_dates) & set(self.get_readonly_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        """Reported dates read-only are shown as written ("Q4 2025"); a link to a record
        the user may not see is shown (as ``HIDDEN_RECORD``), not edited: a form could
        neither show its value nor keep it."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        hidden = sorted(set(getattr(obj, "hidden_relations", ())) - set(readonly))
        readonly = (*readonly, *hidden)
        as_written = [f"{name}{AS_WRITTEN}" for name in self.fuzzy_dates if name in readonly]
        return (*readonly, *as_written) if as_written else readonly

    def get_list_display(self, request):
        shown = _without(super().get_list_display(request), self.hidden_fields(request))
        return _as_written(shown, self.fuzzy_dates, set(self.fuzzy_dates))

    def get_list_filter(self, request):
        return _without(super().get_list_filter(request), self.hidden_fields(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django's admin would redirect with "doesn't exist"; an invisible
            # case must be indistinguishable from a missing one: 404.
            raise Http404("No such record.")
        mask_hidden_relations([obj], request.user)
        return obj

    def get_changelist(self, request, **kwargs):
        return MaskingChangeList

    def readable_history(self, request, obj) -> list:
        """What the history page lists: the object's own changes (a case lists its parts' too)."""
        return readable_history(obj, user=request.user, limit=HISTORY_ROWS)

    def history_view(self, request, object_id, extra_context=None):
        """Every recorded change of the object (insert, update, delete), with
        who made it and through what: admin, API, dashboard or a command."""
        obj = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise Http404("No such record.")
        events = self.readable_history(request, obj)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "events": events,
            "truncated": len(events) == HISTORY_ROWS,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/vigil_history.html", context)


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (/admin/r/<type>/<id>/), for objects the
    user may see only: Django's own looks the object up unfiltered, and its
    redirect would tell an outsider that a restricted object exists and where
    (a case's reference). Anything else is a 404, like an id never used."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        found = model is not None and visible(model._default_manager.filter(pk=object_id), request.user).exists()
    except (ContentType.DoesNotExist, ValueError, ValidationError):
        found = False
    if not found:
        raise Http404("No such record.")
    return shortcut(request, content_type_id, object_id)


class VigilInline(VisibleChoicesMixin):
    """Shared settings of inlines: no empty rows until asked, compact text boxes. Rows
    only read (the user may neither change nor add them) show each reported date as
    one column, as written ("Q4 2025"), as the lists do."""

    form = VersionedModelForm
    extra = 0
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}

    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        self.fuzzy_dates = tuple(getattr(self.model, "fuzzy_dates", ()))
        for name in self.fuzzy_dates:
            setattr(self, f"{name}{AS_WRITTEN}", as_written_column(self.model, name))

    def _rows_only_read(self, request, obj) -> bool:
        return not self.has_change_permission(request, obj) and not self.has_add_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fuzzy_dates and self._rows_only_read(request, obj):
            fuzzy = set(self.fuzzy_dates)
            fieldsets = [
                (title, {**options, "fields": _as_written(options["fields"], self.fuzzy_dates, fuzzy)})
                for title, options in fieldsets
            ]
        return with_seen_version(fieldsets)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if self.fuzzy_dates and self._rows_only_read(request, obj):
            # Every field is only read (so none is in the rows' form, editable or not).
            shown = flatten(self.fields) if self.fields else ()
            kept = (*readonly, *(name for name in shown if name not in readonly))
            return (*kept, *(f"{name}{AS_WRITTEN}" for name in self.fuzzy_dates))
        return readonly

    def get_queryset(self, request):
        # Rows the user may not see (a service number, a welfare incident), and rows
        # that link the parent to a record the user may not see (an open case's event
        # naming a person held only in a restricted case), are neither shown, nor
        # counted, nor touched when the parent is saved.
        rows = visible(super().get_queryset(request), request.user)
        for field in guarded_relations(rows.model):
            shown = visible(field.related_model._default_manager.all(), request.user)
            rows = rows.filter(Q(**{f"{field.name}__isnull": True}) | Q(**{f"{field.name}__in": shown}))
        return rows


class VigilTabularInline(VigilInline, admin.TabularInline):
    pass


class VigilStackedInline(VigilInline, admin.StackedInline):
    pass
