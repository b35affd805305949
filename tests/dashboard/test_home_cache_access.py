"""Nothing cached outlives the access that allowed it (issue 10, finding 9).

Bob is on the restricted case's team; the home page keeps his overview in the
cache (VIGIL_HOME_CACHE_SECONDS). Once he is taken off the team, the case made
restricted, its lead changed or his role taken away, the next home page no
longer shows what he may no longer see.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from casework.models import Case, CaseMember
from core.roles import EDITOR
from tests import factories


@pytest.fixture
def home(settings, restricted_case, bob, client):
    settings.VIGIL_HOME_CACHE_SECONDS = 600
    factories.EventFactory(case=restricted_case, title="Secret visit")
    client.force_login(bob)
    assert "Secret visit" in client.get("/").content.decode()  # now in the cache
    return lambda: client.get("/").content.decode()


def test_taken_off_the_team_he_no_longer_sees_the_case_on_the_home_page(home, restricted_case, bob):
    CaseMember.objects.filter(case=restricted_case, user=bob).delete()
    assert "Secret visit" not in home()


def test_a_case_made_restricted_leaves_the_home_page_of_who_is_not_on_its_team(settings, olivia, client):
    settings.VIGIL_HOME_CACHE_SECONDS = 600
    case = factories.CaseFactory(title="Open for now")
    factories.EventFactory(case=case, title="Soon secret")
    client.force_login(olivia)
    assert "Soon secret" in client.get("/").content.decode()
    Case.objects.filter(pk=case.pk).update(confidentiality="restricted")
    assert "Soon secret" not in client.get("/").content.decode()


def test_a_lead_replaced_no_longer_sees_the_case(settings, client, db):
    settings.VIGIL_HOME_CACHE_SECONDS = 600
    lena = factories.UserFactory(username="lena")
    lena.groups.add(Group.objects.get(name=EDITOR))
    case = factories.RestrictedCaseFactory(lead=lena)
    factories.EventFactory(case=case, title="Lena secret")
    client.force_login(lena)
    assert "Lena secret" in client.get("/").content.decode()
    Case.objects.filter(pk=case.pk).update(lead=None)
    assert "Lena secret" not in client.get("/").content.decode()


def test_the_cache_still_serves_when_nothing_about_access_changed(home, restricted_case):
    factories.EventFactory(case=restricted_case, title="Later visit")
    assert "Later visit" not in home()  # still the cached overview
