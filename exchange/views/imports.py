"""The import pages (data managers): upload, map the columns with a preview, dry run, import, undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from core.bin import RESTORE
from exchange import imports, selectors, services
from exchange.forms import MappingForm, SavedMappingForm, UploadForm
from exchange.models import BatchState
from exchange.phrases import action_label, shown_report
from exchange.readers import FileProblem

#: Batches up to this many rows are imported while the page waits; larger ones by a job (exchange.run_import).
INLINE_ROWS = 5000


class ImportPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = imports.PERMISSION  # signed out: to the sign-in page; signed in without it: 403


def _say(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class ImportListView(ImportPermissionMixin, TemplateView):
    """Earlier batches, and the upload that starts a new one."""

    template_name = "exchange/import_list.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UploadForm())
        batch_filter, batches = selectors.batch_list(user=self.request.user, params=self.request.GET)
        return super().get_context_data(batches=batches, batch_filter=batch_filter.form, **kwargs)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                user=request.user, file=upload, filename=upload.name, options=form.options(),
                mode=form.cleaned_data["mode"],
            )  # fmt: skip
        except (FileProblem, ValidationError) as error:
            form.add_error("file", _say(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect(batch)


class ImportDetailView(ImportPermissionMixin, TemplateView):
    """One batch: the mapping builder with a preview of the file, the dry run's report,
    then import (or undo)."""

    template_name = "exchange/import_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(imports.PERMISSION):
            self.batch = selectors.import_batch(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        batch = self.batch
        saved = SavedMappingForm(self.request.GET or None)
        spec = batch.mapping
        if saved.is_valid() and saved.cleaned_data["mapping"]:
            spec = saved.cleaned_data["mapping"].spec
        if "mapping_form" not in kwargs:
            kwargs["mapping_form"] = MappingForm(columns=batch.columns, initial_spec=spec)
        try:
            preview = imports.preview_rows(batch=batch) if batch.state == BatchState.CHECKED else []
        except FileProblem as problem:
            preview, kwargs["problem"] = [], str(problem)
        return super().get_context_data(
            batch=batch,
            saved_form=saved,
            saved_mappings=selectors.saved_mappings(user=self.request.user),
            preview=preview,
            report=shown_report(batch.report),
            counts=[(action_label(action), n) for action, n in batch.counts.items()],
            inline=batch.dry_run_counts.get("rows", 0) <= INLINE_ROWS,
            can_undo=self.request.user.has_perm(RESTORE),
            **kwargs,
        )

    def post(self, request, pk):
        action = request.POST.get("action")
        handler = {"check": self._check, "commit": self._commit, "undo": self._undo}.get(action)
        if handler is None:
            messages.error(request, gettext("No such action."))
            return redirect(self.batch)
        return handler(request)

    def _check(self, request):
        form = MappingForm(request.POST, columns=self.batch.columns)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors)
            spec = form.spec()
            if form.cleaned_data["save_as"]:
                services.mapping_save(name=form.cleaned_data["save_as"], spec=spec, user=request.user)
            services.import_dry_run(batch=self.batch, user=request.user, mapping_spec=spec,
                                   mapping_name=form.cleaned_data["save_as"])  # fmt: skip
        except (FileProblem, ValidationError) as error:
            messages.error(request, gettext("The mapping cannot be used: %(problems)s") % {"problems": _say(error)})
            return self.render_to_response(self.get_context_data(mapping_form=form), status=400)
        messages.success(request, gettext("Dry run done: nothing was written. Check each row below, then import."))
        return redirect(self.batch)

    def _commit(self, request):
        if not self.batch.mapping:
            messages.error(request, gettext("Check the file with a mapping first (the dry run)."))
        elif self.batch.dry_run_counts.get("rows", 0) > INLINE_ROWS:
            try:
                services.import_enqueue(batch=self.batch, user=request.user)
                messages.success(request, gettext("Importing in the background: this page shows how far it is."))
            except ValidationError as error:
                messages.error(request, _say(error))
        else:
            try:
                batch = services.import_commit(batch=self.batch, user=request.user)
                messages.success(
                    request,
                    gettext("Imported: %(counts)s.")
                    % {"counts": ", ".join(f"{n} {a}" for a, n in batch.counts.items())},
                )
            except (FileProblem, ValidationError) as error:
                messages.error(request, _say(error))
        return redirect(self.batch)

    def _undo(self, request):
        try:
            services.import_undo(batch=self.batch, user=request.user)
            messages.success(
                request,
                gettext(
                    "Undone: this batch and what it created are in the bin (restore it there to import it again); "
                    "what it changed is put back."
                ),
            )
        except ValidationError as error:
            messages.error(request, _say(error))
        return redirect(self.batch)


class RejectedRowsView(ImportPermissionMixin, TemplateView):
    """The rows the dry run rejects, as a CSV with an errors column (fix them, import that file)."""

    def get(self, request, pk):
        batch = selectors.import_batch(user=request.user, pk=pk)
        if not batch.mapping:
            return redirect(batch)
        response = StreamingHttpResponse(
            imports.rejected_rows_csv(batch=batch, user=request.user), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="rejected-rows-batch-{batch.pk}.csv"'
        return response
