"""The dashboard's lists count at most core.paginator.CAP rows: bounded cost at a
million cases, and the page says "N+" past it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Case
from core import paginator
from core.paginator import CappedPaginator
from tests import factories
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)


@pytest.mark.django_db
def test_counting_stops_at_the_cap_and_says_so(monkeypatch):
    for _ in range(3):
        factories.CaseFactory()
    monkeypatch.setattr(paginator, "CAP", 2)
    pages = CappedPaginator(Case.objects.order_by("id"), 1)
    assert pages.count == 2 and pages.capped and pages.count_display == "2+"
    monkeypatch.setattr(paginator, "CAP", 10)
    pages = CappedPaginator(Case.objects.order_by("id"), 1)
    assert pages.count == 3 and not pages.capped and pages.count_display == "3"


@pytest.mark.django_db
@pytest.mark.usefixtures("static_storage")
def test_the_cases_list_says_how_many_past_the_cap(client, editor, monkeypatch):
    for _ in range(3):
        factories.CaseFactory()
    monkeypatch.setattr(paginator, "CAP", 2)
    client.force_login(editor)
    page = client.get(reverse("case_list")).content.decode()
    assert "2+ cases" in page
