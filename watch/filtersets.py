"""The watch's FilterSets: the notifications list (``watch.views.NotificationsView``) by whether it
is new, its trigger and urgency. The watch has no list API: its REST side is the change feed."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from watch.models import Notification
from watch.models.choices import Trigger


class NotificationFilterSet(filters.FilterSet):
    new = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=pgettext_lazy("notification", "New"))
    trigger = filters.ChoiceFilter(choices=Trigger.choices, label=_("trigger"))
    urgent = filters.BooleanFilter(label=_("urgent"))

    class Meta:
        model = Notification
        fields = []
