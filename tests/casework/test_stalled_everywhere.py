"""One meaning of "stalled": the home card, the home list, the cases filter, the API
and the admin filter all use ``StatedRequestQuerySet.stalled`` and agree on
generated data; supplies are listed apart, never in the stalled list."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import MINOR_CATEGORIES, RequestCategory, RequestStatus, StatedRequest
from tests import factories
from tests.api_fixtures import client_for
from tests.day_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_files")


@pytest.fixture
def generated(db, settings):
    """Forty requests in eight cases: every category, status and age, some marked stalled."""
    settings.VIGIL_HOME_CACHE_SECONDS = 0
    rng = random.Random(11)  # noqa: S311 (test data)
    today = timezone.localdate()
    cases = [factories.CaseFactory(title=f"Case {n}") for n in range(8)]
    for n in range(40):
        request = factories.StatedRequestFactory(
            case=rng.choice(cases),
            category=rng.choice(list(RequestCategory.values)),
            summary=f"Request {n}",
            first_stated_on=today - datetime.timedelta(days=rng.randint(0, 400)),
            first_stated_on_precision="day",
        )
        status = rng.choice([*RequestStatus.values, RequestStatus.STALLED])
        # The status, written as the service would leave it; the trigger sets last_moved_on.
        StatedRequest.objects.filter(pk=request.pk).update(status=status, status_changed_at=None)
    return cases


def test_home_cases_filter_api_and_admin_agree_on_what_is_stalled(client, erin, generated, superuser_client):
    expected = set(StatedRequest.objects.stalled().values_list("pk", flat=True))
    assert expected, "the generated data must hold stalled requests"
    assert not set(StatedRequest.objects.stalled().values_list("category", flat=True)) & set(MINOR_CATEGORIES)

    client.force_login(erin)
    home = client.get(reverse("home")).context
    assert home["stalled_count"] == len(expected)
    assert {r.pk for r in home["stalled_requests"]} == expected  # fewer than 25 here
    supplies = {r.pk for r in home["supplies_requests"]}
    assert supplies == set(StatedRequest.objects.waiting_supplies().values_list("pk", flat=True))
    assert not supplies & expected

    cases = client.get(reverse("case_list"), {"stalled": "true"}).context["page"].object_list
    assert {c.pk for c in cases} == set(StatedRequest.objects.filter(pk__in=expected).values_list("case", flat=True))

    api = client_for(erin)
    body = api.get("/api/v1/requests/", {"stalled": "true", "page_size": 500}).json()
    assert {row["id"] for row in body["results"]} == expected
    assert all(row["stalled"] and row["days_without_movement"] is not None for row in body["results"])
    assert all(row["person_name"] and row["case_reference"] for row in body["results"])
    others = api.get("/api/v1/requests/", {"stalled": "false", "page_size": 500}).json()["results"]
    assert not {row["id"] for row in others} & expected and not any(row["stalled"] for row in others)

    admin = superuser_client.get(reverse("admin:casework_statedrequest_changelist"), {"stalled": "yes"})
    assert {r.pk for r in admin.context["cl"].result_list} == expected


@pytest.fixture
def superuser_client(client, sam):
    from django.test import Client

    other = Client()
    other.force_login(sam)
    return other
