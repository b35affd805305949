"""Evidence on pages that belong to apps below it (the case page, the timeline):
``{% load evidence %}``, so casework and events never import evidence."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join

from evidence import selectors

register = template.Library()


@register.inclusion_tag("evidence/_file_list.html")
def file_list(files):
    return {"files": files}


@register.inclusion_tag("evidence/_case_section.html", takes_context=True)
def case_files_section(context, case):
    """The case page's Files section: the case's files the reader may see, with their derived copies."""
    user = context["request"].user
    return {
        "case": case,
        "files": selectors.case_files(case=case, user=user),
        "can_upload": user.has_perm("evidence.add_evidencefile"),
    }


@register.simple_tag(takes_context=True)
def timeline_files(context, case, entries):
    """``{% timeline_files case timeline as entry_files %}``: each entry's files, in one query."""
    return selectors.files_by_entry(case=case, user=context["request"].user, entries=entries)


@register.simple_tag
def entry_files(by_entry, key) -> str:
    """A timeline entry's files (built here, not in a template: a case page has hundreds of entries)."""
    files = (by_entry or {}).get(key, [])
    if not files:
        return ""
    items = format_html_join(
        "",
        '<li>📎 <a href="{}">{}</a> <span class="muted small">{}, {}</span></li>',
        ((f.get_absolute_url(), f.original_name, f.blob.media_type, filesizeformat(f.blob.size)) for f in files),
    )
    return format_html('<ul class="sources entry-files" aria-label="Files">{}</ul>', items)
