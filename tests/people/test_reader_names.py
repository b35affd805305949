"""Lists name people in the reader's script where a name in it is recorded (a
Korean reader sees 리정철 first, a Russian one Ри Чон Чхоль), without a query per
row: the home page, the cases list, the header's search and the people list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.services import preferences_set
from tests.dashboard_data import build_kursk_case
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")


def pages(case):
    return {
        "home": (reverse("home"), {"fresh": "1"}),
        "cases list": (reverse("case_list"), {}),
        "header search": (reverse("search"), {"q": "Ri Jong Chol"}),
        "people list": (reverse("person_search"), {}),
    }


@pytest.mark.parametrize(("language", "first"), [("ko", "리정철"), ("ru", "Ри Чон Чхоль")])
@pytest.mark.parametrize("page", ["home", "cases list", "header search", "people list"])
def test_each_list_names_a_person_in_the_readers_script_first(client, editor, kursk_case, language, first, page):
    preferences_set(user=editor, language=language, time_zone="")
    client.force_login(editor)
    url, params = pages(kursk_case)[page]
    html = client.get(url, params).content.decode()
    lang = "ko" if language == "ko" else "ru-Cyrl"
    assert f'<span lang="{lang}">{first}</span>' in html, page


def test_an_english_reader_sees_the_display_name(client, editor, kursk_case):
    client.force_login(editor)
    html = client.get(reverse("case_list")).content.decode()
    assert "Ri Jong Chol" in html and '<span lang="ko">리정철</span>' not in html


@pytest.mark.parametrize("page", ["home", "cases list", "header search"])
def test_a_korean_readers_list_costs_the_same_queries_however_many_people(client, editor, kursk_case, page, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.VIGIL_HOME_CACHE_SECONDS = 0  # the home page's cache writes differ by what is cached, not by rows
    preferences_set(user=editor, language="ko", time_zone="")
    client.force_login(editor)
    url, params = pages(kursk_case)[page]
    client.get(url, params)  # content types and the like, read once per process
    with CaptureQueriesContext(connection) as small:
        client.get(url, params)
    for number in range(6):
        build_kursk_case(title=f"Another case {number}")
    with CaptureQueriesContext(connection) as large:
        html = client.get(url, params).content.decode()
    assert html.count('<span lang="ko">리정철</span>') > 1
    import re
    from collections import Counter

    def shape(q):
        return re.sub(r"\d+", "N", q["sql"].split("pghistory.context_metadata', ", 1)[-1])[:160]

    a = Counter(shape(q) for q in small.captured_queries)
    b = Counter(shape(q) for q in large.captured_queries)
    assert len(large.captured_queries) == len(small.captured_queries), (b - a, a - b)
