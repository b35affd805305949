"""What the team did, on what legal basis, and how old a detainee is, recorded from the
dashboard as an editor would: an intervention with its legal argument in one form (a
date ahead refused by its field, nothing written), then a person's age as reported;
both seen on the case and person pages. Clicks are counted (typing apart)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from casework.models import Intervention, LegalArgument, LegalBasis
from core.roles import EDITOR
from people.models import Person
from tests import factories
from tests.browser.test_dashboard_browser import demo  # noqa: F401 (fixture)
from tests.browser.test_development_browser import Clicks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erin(demo):  # noqa: F811
    user = factories.UserFactory(username="erin-editor", password="correct horse battery")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def counts() -> tuple[int, int]:
    return Intervention.objects.count(), LegalArgument.objects.count()


def test_an_editor_records_an_intervention_with_its_argument_and_a_persons_age(
    page,
    served,
    demo,  # noqa: F811
    erin,
    screenshot,
):
    page.goto(f"{served.url}{demo.get_absolute_url()}")
    page.get_by_label("Username").fill("erin-editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{served.url}{demo.get_absolute_url()}")

    # --- an intervention and the legal argument made in it: one form
    you = Clicks(page)
    you.click(page.get_by_role("link", name="Record an intervention"))
    page.wait_for_url(re.compile(r"/interventions/new/$"))
    form = page.locator("form[method=post]")
    for name in ("kind", "status", "government", "occurred_on_precision", "basis"):
        assert form.locator(f"select[name={name}]").input_value() == "", name  # nothing preset
    assert form.locator("input[name=occurred_on]").input_value() == ""

    seoul = demo.involvements.get(government__name="South Korea").government
    ri = Person.objects.get(display_name="Ri Jong Chol")
    transfer = demo.requests.get(person=ri, category="transfer")
    basis = LegalBasis.objects.get(name__startswith="GC III Art. 118")
    you.choose(form.locator("select[name=kind]"), value="letter")
    you.choose(form.locator("select[name=status]"), value="done")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    you.type(form.locator("input[name=occurred_on]"), tomorrow)  # a slip: it was sent, so it has happened
    you.choose(form.locator("select[name=occurred_on_precision]"), value="day")
    you.choose(form.locator("select[name=government]"), value=str(seoul.pk))
    you.choose(form.locator("select[name=request]"), value=str(transfer.pk))
    you.type(form.locator("textarea[name=asked]"), "Accept Ri Jong Chol as the Constitution provides")
    you.choose(form.locator("select[name=basis]"), value=str(basis.pk))
    you.type(form.locator("textarea[name=argument]"), "Repatriation against his will would breach Art. 118 as read")

    before = counts()
    you.click(page.get_by_role("button", name="Save"))
    page.wait_for_load_state()
    error = page.locator(".field--occurred_on .errorlist")
    assert "only a planned intervention lies ahead" in error.inner_text()
    assert page.locator("input[name=occurred_on]").get_attribute("aria-invalid") == "true"
    assert counts() == before  # nothing written
    # What was typed is still there.
    assert page.locator("textarea[name=asked]").input_value().startswith("Accept Ri Jong Chol")
    screenshot(page, "advocacy-intervention-future-date")

    you.type(page.locator("input[name=occurred_on]"), "2025-11-24")
    you.click(page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(r"#intervention-\d+$"))
    intervention_clicks = you.clicks
    assert counts() == (before[0] + 1, before[1] + 1)
    assert (
        "Recorded: letter to South Korea (24 November 2025)."
        in page.locator(".messages, [role=status]").first.inner_text()
    )
    entry = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    assert "Accept Ri Jong Chol" in entry.inner_text()
    assert basis.name in entry.inner_text() and "would breach Art. 118" in entry.inner_text()
    entry.scroll_into_view_if_needed()
    screenshot(page, "advocacy-intervention-on-the-case-page")

    # --- a legal argument for another request, from its own link on the case page
    paek = Person.objects.get(display_name="Paek Kwang Hyok")
    argue = Clicks(page)
    paeks_transfer = demo.requests.get(person=paek, category="transfer")
    argue.click(page.locator(f"#request-{paeks_transfer.pk} a", has_text="Add a legal argument"))
    page.wait_for_url(re.compile(r"/legal-arguments/new/\?request=\d+$"))
    assert page.locator("select[name=request] option:checked").inner_text().startswith("Paek Kwang Hyok")
    argue.choose(page.locator("select[name=basis]"), value=str(basis.pk))
    argue.type(page.locator("textarea[name=argument]"), "He too must not be repatriated against his will")
    argue.click(page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(r"#request-\d+$"))
    paeks = page.locator(f"#person-{paek.pk}")
    assert "He too must not be repatriated against his will" in paeks.inner_text()
    page.goto(f"{served.url}{demo.get_absolute_url()}")

    # --- a person's age as reported: from the case page to the person page and its form
    age = Clicks(page)
    age.click(page.locator(f"#person-{ri.pk}-name a"))
    page.wait_for_url(re.compile(rf"/people/{ri.pk}/$"))
    age.click(page.get_by_role("link", name="Record an approximate age"))
    page.wait_for_url(re.compile(r"/birth-years/$"))
    age.type(page.locator("input[name=birth_year_earliest]"), "")
    age.type(page.locator("input[name=birth_year_latest]"), "")
    age.type(page.locator("input[name=age_youngest]"), "24")
    age.type(page.locator("input[name=age_oldest]"), "26")
    age.type(page.locator("input[name=age_on]"), "November 2025")
    age.type(page.locator("input[name=age_estimate]"), "in his mid-20s")
    age.click(page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(rf"/people/{ri.pk}/$"))
    assert "in his mid-20s · born 1998–2001" in page.locator("#approximate-age").inner_text()  # noqa: RUF001
    ri.refresh_from_db()
    assert (ri.birth_year_earliest, ri.birth_year_latest) == (1998, 2001)
    screenshot(page, "advocacy-person-age")
    print(f"\nclicks: intervention with its argument {intervention_clicks} (typed fields apart: {you.typed});"
          f" legal argument {argue.clicks} (typed: {argue.typed});"
          f" approximate age {age.clicks} from the case page (typed fields: {age.typed})")  # fmt: skip
