"""The watch's FilterSets: the notifications list (``watch.views.NotificationsView``) by whether it
is new, its trigger and urgency. The watch has no list API: its REST side is the change feed."""

from __future__ import annotations

import django_filters as filters
from django.forms import NullBooleanSelect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from watch.models import Notification
from watch.models.choices import Trigger


class EitherSelect(NullBooleanSelect):
    """Yes, no, or any: not Django's "Unknown", which reads as a value of the notification."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", pgettext_lazy("filter", "Any")), *self.choices[1:]]


class NotificationFilterSet(filters.FilterSet):
    new = filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=pgettext_lazy("notification", "New"), widget=EitherSelect
    )
    trigger = filters.ChoiceFilter(
        choices=Trigger.choices, label=_("trigger"), empty_label=pgettext_lazy("filter", "Any")
    )
    urgent = filters.BooleanFilter(label=_("urgent"), widget=EitherSelect)

    class Meta:
        model = Notification
        fields = []
