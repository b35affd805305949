"""The colour tone of each choice, declared with the choices themselves.

    @toned("case", open=INFO, active=PROGRESS, stalled=WARN, resolved=GOOD, closed=MUTED)
    class CaseStatus(models.TextChoices):
        ...

A class so marked must give every one of its choices a tone, or Vigil does not
start (a new status cannot go out grey by mistake); the dashboard reads them by
kind, ``{% badge "case" case.status ... %}`` or ``{{ value|tone:"case" }}``
(casework/templatetags/dashboard.py). A badge always shows its status in words
too: the tone only adds colour, so colour is never the only signal
(``tone-bad`` also draws a heavier border, static/vigil/vigil.css).
"""

from __future__ import annotations

GOOD, WARN, BAD, INFO, PROGRESS, NEUTRAL, MUTED = "good", "warn", "bad", "info", "progress", "neutral", "muted"
TONES = (GOOD, WARN, BAD, INFO, PROGRESS, NEUTRAL, MUTED)

#: kind ("case", "request"...) -> its choices class, which carries ``tones`` (value -> tone)
TONED: dict[str, type] = {}


def toned(kind: str, **tones: str):
    """Class decorator: the tone of each of the choices (by value), under ``kind``."""

    def decorate(choices):
        values = {str(value) for value in choices.values}
        missing, unknown = values - set(tones), set(tones) - values
        wrong = {value: tone for value, tone in tones.items() if tone not in TONES}
        if missing or unknown or wrong:
            raise ValueError(
                f"{choices.__name__}'s tones: missing {sorted(missing)}, not a choice {sorted(unknown)}, "
                f"not a tone {wrong} (tones: {', '.join(TONES)})"
            )
        if kind in TONED and TONED[kind] is not choices:
            raise ValueError(f'Two choices claim the tone kind "{kind}": {TONED[kind].__name__}, {choices.__name__}')
        choices.tones = dict(tones)
        TONED[kind] = choices
        return choices

    return decorate


def tone(value, kind: str) -> str:
    """The tone of ``value`` among the ``kind`` choices; neutral for a blank or a kind never declared."""
    choices = TONED.get(kind)
    return choices.tones.get(str(value), NEUTRAL) if choices is not None else NEUTRAL
