"""Template helpers for the dashboard: one colour tone per status, everywhere (each
choices class declares its tones: core/tones.py), dates in plain words, badges.

A badge always shows its status in words; the tone only adds colour, so colour
is never the only signal (``tone-bad`` also draws a heavier border, see
static/vigil/vigil.css).
"""

from __future__ import annotations

import datetime

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from core.dates import DatePrecision, FuzzyDate
from core.tones import tone as choice_tone

register = template.Library()


@register.filter
def tone(value, kind: str) -> str:
    """The colour tone of ``value`` among the ``kind`` choices (declared with them: core/tones.py):
    ``{{ case.status|tone:"case" }}``."""
    return choice_tone(value, kind)


def _days(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return (timezone.localdate() - value).days


def _span(value) -> tuple[str, int, bool]:
    """(unit, count, approximate) of how long ago ``value`` was: the unit is "unknown", "future",
    "today", "day", "week", "month" or "year"."""
    about = False
    if isinstance(value, FuzzyDate):
        if value.value is None:
            return "unknown", 0, False
        about = value.precision != DatePrecision.DAY
        value = value.value
    days = _days(value)
    if days is None:
        return "unknown", 0, False
    if days < 0:
        return "future", -days, False
    if days == 0:
        return "today", 0, False
    if days < 14:
        return "day", days, about
    if days < 60:
        return "week", days // 7, about
    if days < 730:
        return "month", days // 30, about
    return "year", days // 365, about


def _say_span(unit: str, n: int, about: bool, *, ago: bool) -> str:
    if unit == "unknown":
        return gettext("date unknown") if ago else pgettext("age", "unknown")
    if unit == "future":
        return ngettext("in %(count)s day", "in %(count)s days", n) % {"count": n}
    if unit == "today":
        return gettext("today")
    if ago:
        words = {
            "day": ngettext("%(count)s day ago", "%(count)s days ago", n),
            "week": ngettext("%(count)s week ago", "%(count)s weeks ago", n),
            "month": ngettext("%(count)s month ago", "%(count)s months ago", n),
            "year": ngettext("%(count)s year ago", "%(count)s years ago", n),
        }[unit] % {"count": n}
    else:
        words = {
            "day": ngettext("%(count)s day", "%(count)s days", n),
            "week": ngettext("%(count)s week", "%(count)s weeks", n),
            "month": ngettext("%(count)s month", "%(count)s months", n),
            "year": ngettext("%(count)s year", "%(count)s years", n),
        }[unit] % {"count": n}
    return gettext("about %(span)s") % {"span": words} if about else words


@register.filter
def age(value) -> str:
    """How long ago a date (or a number of days) was, in plain words: "3 days", "5 months";
    "about 13 months" for a date known only to the month, quarter or year."""
    return _say_span(*_span(value), ago=False)


@register.filter
def ago(value) -> str:
    """``age`` as a phrase: "5 months ago", "today", "date unknown"."""
    return _say_span(*_span(value), ago=True)


@register.filter
def overdue(value) -> bool:
    days = _days(value)
    return days is not None and days > 0


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None or "" drops one):
    sorting and paging links keep the filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def badge(kind: str, value, label=None) -> str:
    """``{% badge "request" request.status request.get_status_display %}``: the status in words, in its tone."""
    return format_html(
        '<span class="badge tone-{}" data-kind="{}" data-value="{}">{}</span>',
        tone(value, kind),
        kind,
        value,
        label if label is not None else value,
    )


@register.filter
def who(user, default: str = "—") -> str:
    """A user's full name, else their username; ``default`` for nobody."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()


@register.simple_tag
def admin_url(obj_or_model, action: str = "change") -> str:
    """The admin page of a record (``change``) or model (``add``, ``changelist``);
    "" while that model has no admin, so the link is simply left out."""
    meta = obj_or_model._meta
    args = [obj_or_model.pk] if action == "change" else []
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)
    except NoReverseMatch:
        return ""


def _source_html(source) -> str:
    title = (
        format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', source.url, source.title)
        if source.url
        else conditional_escape(source.title)
    )
    publisher = format_html(", {}", source.publisher) if source.publisher else ""
    published = format_html(" ({})", source.published) if source.published_on else ""
    return format_html(
        '<span class="sources__label">{}</span> <span class="source">{}{}{}</span>\n'
        '<span class="badge badge--reliability tone-{}" title="{}">{}</span>',
        gettext("Source:"),
        title,
        publisher,
        published,
        tone(source.reliability, "reliability"),
        gettext("Source reliability: %(label)s") % {"label": source.get_reliability_display()},
        pgettext("a source's reliability grade", "reliability %(grade)s") % {"grade": source.reliability},
    )


@register.simple_tag
def sources(citations, source=None) -> str:
    """``{% sources entry.citations entry.obj.source %}``: the sources of a fact, its
    citations (with confidence) and a direct source. Built here, not in an included
    template: a case page shows it for each of hundreds of timeline entries."""
    items = []
    for citation in citations:
        locator = format_html(' <q class="locator">{}</q>', citation.locator) if citation.locator else ""
        items.append(
            format_html(
                "<li>{} {}{}</li>",
                _source_html(citation.source),
                badge("confidence", citation.confidence, citation.get_confidence_display()),
                locator,
            )
        )
    if source:  # events have no direct source: the template passes ""
        items.append(format_html("<li>{}</li>", _source_html(source)))
    if not items:
        return format_html('<p class="sources sources--none">{}</p>', gettext("No source recorded."))
    return format_html('<ul class="sources" aria-label="{}">{}</ul>', gettext("Sources"), mark_safe("".join(items)))  # noqa: S308 - built by format_html


@register.simple_tag
def reader_name(person):
    """A person's name in the reader's script where one is recorded (a Korean reader: 리정철), with
    its ``lang``; else the display name. For lists: their pages read the names in one query
    (``people.reader_names.attach_reader_names``) or prefetch them."""
    from django.utils.translation import get_language

    first, first_lang = person.name_for_reader(get_language() or "en")
    return format_html('<span lang="{}">{}</span>', first_lang, first) if first_lang else person.display_name


@register.simple_tag
def person_names(person):
    """A person's name as the reader's language writes it first (a Korean reader:
    리정철), then the other form, each with its ``lang``."""
    from django.utils.translation import get_language

    from people.models import script_language

    first, first_lang = person.name_for_reader(get_language() or "en")
    if first_lang:
        return format_html(
            '<span lang="{}">{}</span> <span class="person__original">{}</span>', first_lang, first, person.display_name
        )
    if person.name_original:
        return format_html(
            '{} <span class="person__original"{}>{}</span>',
            person.display_name,
            format_html(' lang="{}"', script) if (script := script_language(person.name_original)) else "",
            person.name_original,
        )
    return person.display_name
