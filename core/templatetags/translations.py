"""``{% translated record "field" %}``: a record's free text in the reader's
language when a translation exists, its original words one click away (and
always in print); ``{% translated record "field" original_first=True %}`` for
the dossier: the original, then the translation. Every text carries its
``lang``, so the browser picks the right glyphs and voices."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

register = template.Library()


def language_name(code: str) -> str:
    """ "Korean" (in the reader's language) for "ko"; the tag itself when Django does not know it."""
    if not code:
        return _("unknown language")
    try:
        return get_language_info(code.split("-")[0])["name_translated"]
    except KeyError:
        return code


def _text(value: str, language: str, *, lines: bool):
    body = linebreaksbr(value) if lines else value
    if language:
        return format_html('<span lang="{}">{}</span>', language, body)
    return format_html("<span>{}</span>", body)


def _about(translation) -> str:
    made = _("human translation") if translation.kind == "human" else _("machine translation")
    if translation.translated_by:
        made = _("%(made)s by %(who)s") % {"made": made, "who": translation.translated_by}
    checked = _("checked") if translation.checked else _("not checked")
    return f"{made}, {checked}"


@register.simple_tag(takes_context=True)
def translated(context, record, field: str, lines: bool = False, original_first: bool = False):
    original = getattr(record, field, "") or ""
    source_language = record.original_language(field)
    reader = (get_language() or "en").split("-")[0]
    translation = None
    if not original:
        # Only a translation was recorded (a statement known from a report): show it, saying so.
        translation = record.translation_of(field, reader) or next(
            (t for t in record.translations.all() if t.field == field), None
        )
        if translation is None:
            return _text(original, source_language, lines=lines)
        return format_html(
            '{} <span class="translation__about muted small">({})</span>',
            _text(translation.text, translation.language, lines=lines),
            _("%(about)s; the original words were not recorded") % {"about": _about(translation)},
        )
    if source_language.split("-")[0] != reader:
        translation = record.translation_of(field, reader)
    if translation is None:
        return _text(original, source_language, lines=lines)
    shown = _text(translation.text, translation.language, lines=lines)
    original_html = _text(original, source_language, lines=lines)
    label = _("Original (%(language)s)") % {"language": language_name(source_language)}
    if original_first:
        return format_html(
            '{} <span class="translation"><span class="translation__about">{}: </span>{}</span>',
            original_html,
            _("Translation (%(language)s, %(about)s)")
            % {"language": language_name(translation.language), "about": _about(translation)},
            shown,
        )
    return format_html(
        '{} <span class="translation__about muted small">({})</span>'
        '<details class="original no-print"><summary>{}</summary>{}</details>'
        '<span class="original print-only"><span class="original__label">{}: </span>{}</span>',
        shown,
        _("translated from %(language)s, %(about)s")
        % {"language": language_name(source_language), "about": _about(translation)},
        label,
        original_html,
        label,
        original_html,
    )


@register.simple_tag
def language_label(code: str) -> str:
    """ "Korean" (in the reader's language) for "ko"."""
    return language_name(code)


@register.simple_tag
def translation_about(translation) -> str:
    """ "human translation by Oksana, checked by Dmytro" / "machine translation, not checked"."""
    about = _about(translation)
    if translation.checked and translation.checked_by:
        about = _("%(about)s by %(who)s") % {"about": about, "who": translation.checked_by}
    return about


#: The translations page's kind of each translatable record (dashboard/views/translations.py), by model label:
#: named by string, since core imports no domain app.
RECORD_KINDS = {
    "casework.statedrequest": "request",
    "casework.positionstatement": "position",
    "events.event": "event",
    "casework.casenote": "note",
    "events.source": "source",
}


@register.simple_tag(takes_context=True)
def translations_link(context, record) -> str:
    """A link to the record's translations page, for who may translate it (``can.translate``); never printed."""
    from django.urls import reverse

    may = (context.get("can") or {}).get("translate") or {}
    kind = RECORD_KINDS.get(record._meta.label_lower)
    case = context.get("case")
    if not may.get(kind) or case is None:
        return ""
    return format_html(
        '<a class="small no-print translations-link" href="{}">{}</a>',
        reverse("record_translations", args=[case.reference, kind, record.pk]),
        _("Translations"),
    )
