"""The cases filters' long lists are written in Python, with Django's own markup."""

import re

import pytest
from django import forms
from django_countries import countries

from core.forms import QuickSelect


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("value", ["", "KR", "<script>", None])
def test_a_quick_select_writes_what_djangos_select_writes(value):
    choices = [("", "any"), *countries, ("<b>", "a <b> & 'quoted' \"label\"")]
    attrs = {"id": "id_nationality", "class": "wide"}
    django = forms.Select(choices=choices).render("nationality", value, attrs)
    quick = QuickSelect(choices=choices).render("nationality", value, attrs)
    assert _normal(quick) == _normal(django)


def test_grouped_choices_are_left_to_django():
    choices = [("Asia", [("KR", "South Korea"), ("KP", "North Korea")]), ("UA", "Ukraine")]
    assert QuickSelect(choices=choices).render("c", "KP") == forms.Select(choices=choices).render("c", "KP")
