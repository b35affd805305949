"""What every dashboard page and action shares: the visible case, and who may act."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, gettext_lazy

from casework import selectors
from casework.models import Case


def visible_case(user, reference: str) -> Case:
    """The case with this reference if ``user`` may see it; 404 otherwise
    (``casework.selectors.visible_case``)."""
    return selectors.visible_case(user=user, reference=reference)


class CaseActionMixin(LoginRequiredMixin):
    """A quick action on a case: the case must be visible (else 404), then the
    user must hold ``permission_required`` (else 403), for GET and POST alike."""

    permission_required: str = ""
    action_name = gettext_lazy("act")  # for the refusal: "You may not add a note on this case."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = visible_case(request.user, kwargs["reference"])
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied(gettext("You may not %(action)s on this case.") % {"action": self.action_name})
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, action_name=self.action_name, **kwargs)
