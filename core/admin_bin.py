"""The bin's admin page: what was deleted, to restore or purge (data managers)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from core.bin import PURGE, RESTORE, bin_contents, bin_purge, bin_restore, binnable_models

ROWS_PER_MODEL = 200


def bin_view(request):
    if not request.user.has_perm(RESTORE):
        raise PermissionDenied
    if request.method == "POST":
        return _act(request)
    sections = [
        {
            "label": model._meta.label,
            "title": str(model._meta.verbose_name_plural).capitalize(),
            "rows": list(bin_contents(model)[:ROWS_PER_MODEL]),
        }
        for model in binnable_models()
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Bin",
        "sections": sections,
        "can_purge": request.user.has_perm(PURGE),
    }
    return TemplateResponse(request, "admin/bin.html", context)


def _act(request):
    try:
        model = apps.get_model(request.POST.get("model", ""))
    except (LookupError, ValueError):
        raise Http404("No such kind of record.") from None
    if model not in binnable_models():
        raise Http404("No such kind of record.")
    obj = get_object_or_404(model.objects.filter(deleted_at__isnull=False), pk=request.POST.get("pk"))
    action = request.POST.get("action")
    try:
        if action == "restore":
            bin_restore(obj, user=request.user)
            messages.success(request, gettext("Restored %(record)s.") % {"record": obj})
        elif action == "purge":
            bin_purge(obj, user=request.user)
            messages.success(request, gettext("Purged %(record)s for good.") % {"record": obj})
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("admin-bin")
