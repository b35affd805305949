"""Why two records may be one person: kept as short codes ("name:exact:Hangul+Latin",
"id:icrc", "born:apart:3"), written in the reader's language when shown (``label``).

The duplicate check (people.duplicates), the nightly pass (people.duplicate_pass)
and the import's dry run store these codes; pages, the API and the admin show
``label(code)``. A reason stored before codes (an English sentence) is shown as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from people.models import IdentifierKind

NATIONALITY_SAME = "nationality:same"
NATIONALITY_DIFFERENT = "nationality:different"
PLACE_SAME = "place:same"
#: Both birth dates known to the day, and not the same day (in the same year or a year apart).
BORN_OTHER_DAY = "born:other-day"
NAME_EXACT, NAME_KEY, NAME_SOUND = "name:exact", "name:key", "name:sound"

SCRIPTS = {
    "Hangul": _("Hangul"),
    "Cyrillic": _("Cyrillic"),
    "Chinese characters": _("Chinese characters"),
    "Latin": _("Latin"),
    "another script": _("another script"),
}
_FIXED = {
    NATIONALITY_SAME: _("same nationality"),
    NATIONALITY_DIFFERENT: _("different nationality"),
    PLACE_SAME: _("held in the same place"),
    "born:day": _("born the same day"),
    "born:year": _("born the same year"),
    "born:near": _("born within a year"),
    BORN_OTHER_DAY: _("born on different days"),
}
_NAMES = {
    NAME_EXACT: (_("same name (%(script)s)"), _("same name in %(scripts)s")),
    NAME_KEY: (_("name matches (%(script)s)"), _("name matches in %(scripts)s")),
    NAME_SOUND: (_("names sound alike (%(script)s)"), _("names sound alike in %(scripts)s")),
}


def name(kind: str, scripts: list[str]) -> str:
    """``kind`` one of NAME_EXACT, NAME_KEY, NAME_SOUND; ``scripts`` the scripts the names matched in."""
    return f"{kind}:{'+'.join(sorted(set(scripts)))}"


def identifier(kind: str) -> str:
    return f"id:{kind}"


def birth_gap(gap: int) -> str:
    """-1: the same day; 0: the same year; 1: within a year; more: that many years apart
    (two dates known to the day that differ by less are ``BORN_OTHER_DAY``)."""
    return {-1: "born:day", 0: "born:year", 1: "born:near"}.get(gap, f"born:apart:{gap}")


def label(code: str) -> str:
    """The reason in the current language."""
    if code in _FIXED:
        return str(_FIXED[code])
    head, _sep, rest = code.rpartition(":")
    if head in _NAMES:
        scripts = [str(SCRIPTS.get(script, script)) for script in rest.split("+")]
        one, several = _NAMES[head]
        if len(scripts) == 1:
            return str(one) % {"script": scripts[0]}
        return str(several) % {"scripts": " + ".join(scripts)}
    if code.startswith("id:"):
        kind = code[3:]
        try:
            return str(_("same %(kind)s")) % {"kind": IdentifierKind(kind).label}
        except ValueError:
            return code
    if code.startswith("born:apart:") and rest.isdigit():
        years = int(rest)
        return ngettext("born %(years)s year apart", "born %(years)s years apart", years) % {"years": years}
    return code


def labels(codes) -> list[str]:
    return [label(code) for code in codes or []]
