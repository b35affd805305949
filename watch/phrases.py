"""The sentences of notifications and forced-return alerts (core.phrases): kept as a
code and its values, written in each reader's language and time zone when read or
e-mailed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from casework.models import RequestCategory, RequestStatus, Stance
from core import phrases
from events.models import EventKind
from people.models.choices import RiskLevel
from watch.models.choices import AlertRule

phrases.register_choices(
    {
        "request_category": RequestCategory,
        "request_status": RequestStatus,
        "stance": Stance,
        "event_kind": EventKind,
        "risk_level": RiskLevel,
        "alert_rule": AlertRule,
    }
)

phrases.register(
    {
        "team-added": _("You were added to the team of the restricted case %(case)s."),
        "team-removed": _("You were removed from the team of a restricted case."),
        "follow-up-assigned": _("A follow-up was assigned to you in %(case)s: %(title)s (due %(due)s)."),
        "follow-up-due": _("Follow-up due %(due)s in %(case)s: %(title)s."),
        "request-update": _("Request “%(category)s” for %(person)s: %(move)s (%(when)s)."),
        "status-move": _("%(was)s → %(now)s"),
        "status-reaffirmed": _("reaffirmed (%(status)s)"),
        "status-new": pgettext_lazy("request status", "new"),
        "request-stalled": ngettext_lazy(
            "Request “%(category)s” for %(person)s: stalled for %(days)s day.",
            "Request “%(category)s” for %(person)s: stalled for %(days)s days.",
            "days",
        ),
        "position": _("%(government)s's position: %(stance)s (%(when)s)."),
        "position-source": _("%(government)s's position: %(stance)s (%(when)s; source: %(source)s)."),
        "position-on": _("%(government)s's position on %(person)s's %(category)s: %(stance)s (%(when)s)."),
        "position-on-source": _(
            "%(government)s's position on %(person)s's %(category)s: %(stance)s (%(when)s; source: %(source)s)."
        ),
        "case-event": _("New in %(case)s: %(kind)s: %(title)s (%(when)s)."),
        "alert": _("Forced-return alert in %(case)s: %(summary)s Acknowledge it on your home page."),
        "alert-escalated": _(
            "Escalated (level %(level)s, nobody acknowledged it): forced-return alert in %(case)s: %(summary)s "
            "Acknowledge it on your home page."
        ),
        "webhook-disabled": ngettext_lazy(
            "The webhook endpoint %(url)s was disabled after %(failures)s delivery in a row failed. "
            "Fix it, then turn it on again in the admin (Webhooks).",
            "The webhook endpoint %(url)s was disabled after %(failures)s deliveries in a row failed. "
            "Fix it, then turn it on again in the admin (Webhooks).",
            "failures",
        ),
        # Alert summaries (watch.rules)
        "moved-while-protected": _("%(kind)s recorded for %(person)s, who asked not to be returned (%(when)s)."),
        "toward-return": _("%(government)s, the detaining state, moved toward return for %(person)s: %(stance)s."),
        "toward-return-from": _(
            "%(government)s, the detaining state, moved toward return for %(person)s: %(was)s → %(stance)s."
        ),
        "risk-raised": _("%(person)s's risk if returned was raised to %(level)s."),
        "exchange-by-detaining-state": _(
            "A prisoner exchange naming %(government)s, the detaining state, was recorded."
        ),
    }
)

phrase, choice, day, fuzzy, render = phrases.phrase, phrases.choice, phrases.day, phrases.fuzzy, phrases.render
