"""What every Vigil ModelAdmin shares: the access rule, history, audit fields.

``VigilAdmin`` starts every changelist, change view, history view, search and
autocomplete from ``Model.objects.visible_to(user)``: an object the user may
not see is a 404, and never appears in a list, a dropdown or an autocomplete.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.base import ModelState
from django.db.models.constants import LOOKUP_SEP
from django.forms import Textarea
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from casework.access import sees_sensitive
from core.bin import TOUCHES_HIDDEN, bin_move, is_binnable, touches_hidden
from core.exposure import guarded_values, hidden_from
from core.forms import VersionedModelForm
from core.history import readable_history
from core.models import TextTranslation
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


#: What an admin page prints for a related record the user may not see.
HIDDEN_RECORD = "(a record you may not see)"


class HiddenRecord:
    """Stands in for a related record the user may not see, on an admin page of a
    record they may (an open case's event that names a person held only in a
    restricted case): printed as ``HIDDEN_RECORD``, never by name. It keeps the id,
    so that saving the record it hangs from leaves the link as it was."""

    def __init__(self, model, pk, attname):
        self._meta, self.pk, self._state = model._meta, pk, ModelState()
        self._state.adding = False
        setattr(self, attname, pk)

    def __str__(self) -> str:
        return HIDDEN_RECORD

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return None  # whatever the record held is not for this user


def guarded_relations(model) -> list:
    """``model``'s many-to-one fields to models with an access rule (``visible_to``)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and hasattr(field.related_model._default_manager.all(), "visible_to")
    ]


def with_shown_relations(queryset, user):
    """``queryset`` annotated, for each link to a guarded model, with whether the user may
    see what it links to (``shown_<field>``): a changelist's masking in its own query."""
    flags = {}
    for field in guarded_relations(queryset.model):
        key = field.target_field.attname
        shown = visible(field.related_model._default_manager.all(), user).filter(**{key: OuterRef(field.attname)})
        flags[f"shown_{field.name}"] = Exists(shown)
    return queryset.annotate(**flags)


def mask_hidden_relations(objs, user) -> list:
    """``objs`` (of one model), each related record the user may not see replaced
    by a ``HiddenRecord``, read from ``with_shown_relations`` when the objects carry
    it, else one query per relation for all of them; the names of the masked fields
    are kept on each object as ``hidden_relations``."""
    objs = list(objs)
    if not objs:
        return objs
    for field in guarded_relations(type(objs[0])):
        related, key, flag = field.related_model, field.target_field.attname, f"shown_{field.name}"
        if hasattr(objs[0], flag):
            hidden = [obj for obj in objs if getattr(obj, field.attname) is not None and not getattr(obj, flag)]
        else:
            ids = {getattr(obj, field.attname) for obj in objs} - {None}
            rows = related._default_manager.filter(**{f"{key}__in": ids})
            shown = set(visible(rows, user).values_list(key, flat=True)) if ids else set()
            hidden = [obj for obj in objs if getattr(obj, field.attname) not in shown | {None}]
        for obj in hidden:
            field.set_cached_value(obj, HiddenRecord(related, getattr(obj, field.attname), key))
            obj.hidden_relations = {*getattr(obj, "hidden_relations", ()), field.name}
    return objs


class MaskingChangeList(ChangeList):
    """A changelist whose rows print a link to a record the user may not see as
    ``HIDDEN_RECORD`` (without a query more than Django's own)."""

    def get_queryset(self, request, exclude_parameters=None):
        return with_shown_relations(super().get_queryset(request, exclude_parameters), request.user)

    def get_results(self, request):
        super().get_results(request)
        self.result_list = mask_hidden_relations(self.result_list, request.user)


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


class VigilAdmin(VisibleChoicesMixin, admin.ModelAdmin):
    """Base ModelAdmin: visible_to() everywhere, sensitive fields only for those
    allowed, audit fields read-only, history from the triggers."""

    form = VersionedModelForm
    readonly_fields = AUDIT_FIELDS
    delete_confirmation_template = "admin/vigil_delete_confirmation.html"
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole table on every page

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
        return with_seen_version([(title, options) for title, options in kept if options["fields"]])

    def get_list_display(self, request):
        return _without(super().get_list_display(request), self.hidden_fields(request))

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

    def get_readonly_fields(self, request, obj=None):
        """A link to a record the user may not see is shown (as ``HIDDEN_RECORD``), not
        edited: a form could neither show its value nor keep it."""
        fields = tuple(super().get_readonly_fields(request, obj))
        hidden = sorted(set(getattr(obj, "hidden_relations", ())) - set(fields))
        return (*fields, *hidden)

    def get_changelist(self, request, **kwargs):
        return MaskingChangeList

    def history_view(self, request, object_id, extra_context=None):
        """Every recorded change of the object (insert, update, delete), with
        who made it and through what: admin, API, dashboard or a command."""
        obj = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise Http404("No such record.")
        events = readable_history(obj, user=request.user, limit=HISTORY_ROWS)
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
    """Shared settings of inlines: no empty rows until asked, compact text boxes."""

    form = VersionedModelForm
    extra = 0
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}

    def get_fieldsets(self, request, obj=None):
        return with_seen_version(super().get_fieldsets(request, obj))

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


class TranslationInline(GenericTabularInline):
    """The translations of a record's free text, edited on the record's own page:
    they are part of it, so the record's own permissions decide (view to read,
    change to add, correct or remove one), and its visibility rule already
    decided whether the page opens at all."""

    model = TextTranslation
    extra = 0
    fields = ("field", "language", "text", "kind", "translated_by", "checked", "checked_by")
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}

    def _may(self, request, action: str) -> bool:
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view")

    def has_add_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "change")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            names = self.parent_model.translatable_fields
            choices = [(name, capfirst(self.parent_model._meta.get_field(name).verbose_name)) for name in names]
            return forms.ChoiceField(choices=choices, label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
