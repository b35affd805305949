"""Every status the dashboard colours has its tone declared with its choices (core/tones.py), none forgotten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import models

from core.tones import TONED, TONES, tone, toned

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: ``{% badge "case" ... %}`` and ``value|tone:'reliability'`` in the templates
KIND_IN_TEMPLATE = re.compile(r"""\{%\s*badge\s+["']([a-z_]+)["']|\|tone:["']([a-z_]+)["']""")


def kinds_in_templates() -> set[str]:
    return {
        next(kind for kind in match.groups() if kind)
        for path in TEMPLATES.rglob("*.html")
        for match in KIND_IN_TEMPLATE.finditer(path.read_text())
    }


def test_every_kind_the_templates_colour_is_declared_with_its_choices():
    used = kinds_in_templates()
    assert {"case", "request", "stance", "person", "risk", "priority", "confidentiality"} <= used
    assert used <= set(TONED), f"no choices declare the tones of {sorted(used - set(TONED))}"


@pytest.mark.parametrize("kind", sorted(TONED))
def test_every_choice_has_a_tone(kind):
    choices = TONED[kind]
    assert {str(value) for value in choices.values} == set(choices.tones)
    assert set(choices.tones.values()) <= set(TONES)


def test_a_new_status_without_a_tone_stops_vigil_from_starting():
    with pytest.raises(ValueError, match=r"missing \['lost'\]"):

        @toned("test-kind", found="good")
        class Found(models.TextChoices):
            FOUND = "found", "found"
            LOST = "lost", "lost"

    assert "test-kind" not in TONED


def test_a_badge_reads_the_tone_declared_with_the_choices():
    assert tone("stalled", "request") == "warn"
    assert tone("restricted", "confidentiality") == "bad"
    assert tone("", "request") == "neutral"  # a blank status
