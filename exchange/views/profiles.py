"""Saved partner profiles in the dashboard (data managers): list, define, change, remove.

The same service as the API (``exchange.exports.profile_save``): each field is
checked against the classification in core/exposure/; sensitive fields are offered
only to who may read them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from exchange import exports, selectors, services
from exchange.models import ExportProfile


class ProfileForm(forms.Form):
    """A name, a description and, for each kind of record, the fields a partner gets."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("For whom, and why these fields"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for table in exports.TABLES:
            self.fields[f"fields_{table}"] = forms.MultipleChoiceField(
                label=table.replace("_", " "),
                required=False,
                choices=[(name, name.replace("_", " ")) for name in exports.choosable_fields(table, user=user)],
                widget=forms.CheckboxSelectMultiple,
            )

    def allow_list(self) -> dict[str, list[str]]:
        return {
            table: self.cleaned_data[f"fields_{table}"]
            for table in exports.TABLES
            if self.cleaned_data.get(f"fields_{table}")
        }

    def add_problems(self, error: ValidationError) -> None:
        for key, problems in getattr(error, "message_dict", {"": error.messages}).items():
            name = key if key in ("name", "description") else f"fields_{key}"
            self.add_error(name if name in self.fields else None, problems)


def _initial(profile: ExportProfile) -> dict:
    return {"name": profile.name, "description": profile.description} | {
        f"fields_{table}": names for table, names in profile.fields.items()
    }


class ProfilePermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = exports.FULL_PERMISSION  # data managers; signed out: to the sign-in page


class ProfileListView(ProfilePermissionMixin, TemplateView):
    """The saved profiles, and a form to define a new one."""

    template_name = "exchange/profiles.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ProfileForm(user=self.request.user))
        return super().get_context_data(profiles=selectors.saved_profiles(user=self.request.user), **kwargs)

    def post(self, request):
        form = ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                profile = services.profile_save(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    fields=form.allow_list(),
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form.add_problems(error)
            else:
                messages.success(request, _("Saved the export profile “%(name)s”.") % {"name": profile.name})
                return redirect("export_profiles")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProfileEditView(ProfilePermissionMixin, TemplateView):
    """One saved profile: change it, or remove it."""

    template_name = "exchange/profile_edit.html"

    def get_context_data(self, **kwargs):
        profile = kwargs["profile"]
        kwargs.setdefault("form", ProfileForm(initial=_initial(profile), user=self.request.user))
        return super().get_context_data(**kwargs)

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(profile=selectors.saved_profile(user=request.user, pk=pk)))

    def post(self, request, pk):
        profile = selectors.saved_profile(user=request.user, pk=pk)
        if "delete" in request.POST:
            services.profile_delete(user=request.user, profile=profile)
            messages.success(request, _("Removed the export profile “%(name)s”.") % {"name": profile.name})
            return redirect("export_profiles")
        form = ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.profile_save(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    fields=form.allow_list(),
                    description=form.cleaned_data["description"],
                    profile=profile,
                )
            except ValidationError as error:
                form.add_problems(error)
            else:
                messages.success(request, _("Saved the export profile “%(name)s”.") % {"name": profile.name})
                return redirect("export_profiles")
        return self.render_to_response(self.get_context_data(profile=profile, form=form), status=400)
