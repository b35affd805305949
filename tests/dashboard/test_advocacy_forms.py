"""What the advocates did, on what legal basis, and a person's approximate age (issue 11):
recorded from the dashboard's forms through the services (history: channel "dashboard"),
with no preset government or status, a date needed with its precision and not ahead
(unless the intervention is planned), errors by field and nothing written; shown on the
case and person pages, with the actors present at each event."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import Actor, Intervention, LegalArgument, LegalBasis, RequestCategory
from core.history import history_of
from events.models import EventActor
from people.models import Person
from tests import factories
from tests.dashboard_data import grant
from tests.day_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_files")

NEXT_YEAR = str(datetime.date.today().year + 1)


def channels(obj) -> set[str | None]:
    return {(event.pgh_context or {}).get("channel") for event in history_of(obj)}


@pytest.fixture
def transfer(kursk):
    return kursk.requests.get(category=RequestCategory.TRANSFER)


@pytest.fixture
def basis(db):
    return LegalBasis.objects.create(name="Non-refoulement (test)", url="https://example.org/nr")


@pytest.fixture
def icrc(db):
    return Actor.objects.create(kind="organisation", name="ICRC", role="")


def intervention_data(kursk, **changes) -> dict:
    seoul = kursk.involvements.get(government__name="South Korea").government
    return {
        "kind": "letter",
        "status": "done",
        "occurred_on": "2025-11-20",
        "occurred_on_precision": "day",
        "government": seoul.pk,
        "asked": "Accept the two men",
        **changes,
    }


# ----------------------------------------------------------------- the case page


def test_the_case_page_shows_legal_arguments_and_the_actors_present(client, victor, kursk, transfer, basis, icrc):
    letter = factories.InterventionFactory(case=kursk, kind="letter", asked="Please accept them")
    LegalArgument.objects.create(
        case=kursk, basis=basis, request=transfer, argument="Return would expose him to execution", argued_by=icrc
    )
    LegalArgument.objects.create(case=kursk, basis=basis, intervention=letter, argument="Asylum is an obligation")
    capture = kursk.events.get(kind="capture")
    EventActor.objects.create(event=capture, actor=icrc, part="visited them")
    client.force_login(victor)
    page = client.get(kursk.get_absolute_url()).content.decode()
    assert "Return would expose him to execution" in page and "· argued by ICRC" in page
    assert "Asylum is an obligation" in page
    assert 'href="https://example.org/nr"' in page
    assert "ICRC: visited them" in page
    # A viewer reads them; only an editor is offered to add one.
    assert "Add a legal argument" not in page and "Record an intervention" not in page


def test_an_argument_whose_request_is_in_the_bin_is_not_shown(client, erin, kursk, transfer, basis):
    from core.bin import bin_move

    LegalArgument.objects.create(case=kursk, basis=basis, request=transfer, argument="Binned with its request")
    bin_move(transfer, user=erin)
    client.force_login(erin)
    assert "Binned with its request" not in client.get(kursk.get_absolute_url()).content.decode()


# ----------------------------------------------------------------- interventions


def test_an_intervention_and_its_legal_argument_are_recorded_in_one_form(client, erin, kursk, transfer, basis, icrc):
    client.force_login(erin)
    url = reverse("intervention_create", args=[kursk.reference])
    response = client.post(
        url,
        intervention_data(
            kursk, request=transfer.pk, basis=basis.pk, argument="Asylum aligns with its obligations", argued_by=icrc.pk
        ),
    )
    intervention = Intervention.objects.get(case=kursk, asked="Accept the two men")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#intervention-{intervention.pk}")
    argument = LegalArgument.objects.get(intervention=intervention)
    assert (argument.basis, argument.request, argument.argued_by) == (basis, transfer, icrc)
    assert (intervention.status, str(intervention.occurred)) == ("done", "20 November 2025")
    assert channels(intervention) == {"dashboard"} and channels(argument) == {"dashboard"}
    page = client.get(response.headers["Location"]).content.decode()
    assert "Recorded: letter to South Korea (20 November 2025)." in page
    assert "Legal basis: Non-refoulement (test)." in page
    assert "Asylum aligns with its obligations" in page


def test_the_intervention_form_presets_nothing_risky(client, erin, kursk):
    client.force_login(erin)
    form = client.get(reverse("intervention_create", args=[kursk.reference])).context["form"]
    for name in ("kind", "status", "government", "occurred_on", "occurred_on_precision", "basis"):
        assert form[name].value() in (None, ""), name


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_on": f"{NEXT_YEAR}-01-10"}, "occurred_on"),  # done, yet ahead
        ({"occurred_on": "", "occurred_on_precision": ""}, "occurred_on"),  # no date
        ({"occurred_on": "2025-11-20", "occurred_on_precision": "decade"}, "occurred_on_precision"),
        ({"status": ""}, "status"),
        ({"kind": ""}, "kind"),
        ({"argument": "Words without a basis"}, "basis"),
    ],
)
def test_a_wrong_intervention_is_refused_by_field_and_nothing_is_written(client, erin, kursk, changes, field):
    client.force_login(erin)
    before = (Intervention.objects.count(), LegalArgument.objects.count())
    response = client.post(reverse("intervention_create", args=[kursk.reference]), intervention_data(kursk, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert (Intervention.objects.count(), LegalArgument.objects.count()) == before
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_future_date_is_refused_unless_the_intervention_is_planned(client, erin, kursk):
    client.force_login(erin)
    url = reverse("intervention_create", args=[kursk.reference])
    refused = client.post(url, intervention_data(kursk, occurred_on=f"{NEXT_YEAR}-01-10"))
    assert "only a planned intervention lies ahead" in " ".join(refused.context["form"].errors["occurred_on"])
    assert (
        client.post(url, intervention_data(kursk, occurred_on=f"{NEXT_YEAR}-01-10", status="planned")).status_code
        == 302
    )
    assert Intervention.objects.get(case=kursk, asked="Accept the two men").status == "planned"


def test_an_intervention_about_a_request_of_another_case_is_refused(client, erin, kursk):
    other = factories.StatedRequestFactory(case=factories.CaseFactory())
    client.force_login(erin)
    response = client.post(
        reverse("intervention_create", args=[kursk.reference]), intervention_data(kursk, request=other.pk)
    )
    assert "request" in response.context["form"].errors
    assert not Intervention.objects.filter(asked="Accept the two men").exists()


# ------------------------------------------------------------------ legal arguments


def test_a_legal_argument_for_a_request_is_recorded_from_its_link(client, erin, kursk, transfer, basis):
    client.force_login(erin)
    page = client.get(kursk.get_absolute_url()).content.decode()
    link = reverse("legal_argument_create", args=[kursk.reference]) + f"?request={transfer.pk}"
    assert link in page
    assert client.get(link).context["form"]["request"].value() == str(transfer.pk)
    response = client.post(link, {"basis": basis.pk, "request": transfer.pk, "argument": "GC III Art. 118 applies"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#request-{transfer.pk}")
    argument = LegalArgument.objects.get(request=transfer)
    assert channels(argument) == {"dashboard"}
    assert "GC III Art. 118 applies" in client.get(kursk.get_absolute_url()).content.decode()


def test_a_legal_argument_needs_its_basis_and_what_it_is_made_for(client, erin, kursk, transfer):
    client.force_login(erin)
    url = reverse("legal_argument_create", args=[kursk.reference])
    response = client.post(url, {"argument": "Nothing to rest on"})
    assert {"basis", "request"} <= set(response.context["form"].errors)
    assert not LegalArgument.objects.exists()


# ---------------------------------------------------------------- who may


def test_a_viewer_may_not_record_and_an_outsider_does_not_find_the_case(client, victor, olivia, restricted_case, kursk):
    urls = [
        reverse("intervention_create", args=[kursk.reference]),
        reverse("legal_argument_create", args=[kursk.reference]),
    ]
    client.force_login(victor)
    for url in urls:
        assert client.get(url).status_code == 403 and client.post(url, intervention_data(kursk)).status_code == 403
    client.force_login(olivia)
    for name in ("intervention_create", "legal_argument_create"):
        url = reverse(name, args=[restricted_case.reference])
        assert client.get(url).status_code == 404 and client.post(url, {}).status_code == 404
    assert not Intervention.objects.filter(asked="Accept the two men").exists()


# ------------------------------------------------------------------ birth years


@pytest.fixture
def ri(kursk):
    return Person.objects.get(display_name="Ri Jong Chol")


def test_birth_years_are_recorded_from_the_person_page(client, erin, ri):
    client.force_login(erin)
    page = client.get(ri.get_absolute_url()).content.decode()
    url = reverse("person_birth_years", args=[ri.pk])
    assert url in page
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "birth_year_earliest": "1995",
            "birth_year_latest": "2005",
            "age_estimate": "in his 20s",
            "seen_version": form["seen_version"].value(),
        },
    )
    assert response.status_code == 302
    ri.refresh_from_db()
    assert (ri.birth_year_earliest, ri.birth_year_latest) == (1995, 2005)
    assert channels(ri) >= {"dashboard"}
    page = client.get(ri.get_absolute_url()).content.decode()
    assert "in his 20s · born 1995–2005" in page  # noqa: RUF001 (an en dash, as printed)
    assert "Recorded for Ri Jong Chol: born 1995–2005." in page  # noqa: RUF001


def test_an_age_as_reported_is_worked_out_into_years(client, erin, ri):
    client.force_login(erin)
    url = reverse("person_birth_years", args=[ri.pk])
    client.post(url, {"age_youngest": "20", "age_oldest": "29", "age_on": "March 2025", "age_estimate": "in his 20s"})
    ri.refresh_from_db()
    assert (ri.birth_year_earliest, ri.birth_year_latest) == (1995, 2005)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"birth_year_earliest": "2005", "birth_year_latest": "1995"}, None),  # the database's rule, above the form
        ({"birth_year_latest": NEXT_YEAR}, "birth_year_latest"),
        ({"birth_year_earliest": "1850"}, None),
        ({"age_youngest": "20"}, "age_oldest"),
        ({"age_youngest": "20", "age_oldest": "29", "age_on": f"{NEXT_YEAR}-01-01"}, "age_on"),
        ({"birth_year_earliest": "1995", "age_youngest": "20", "age_oldest": "29", "age_on": "2025"}, "age_youngest"),
    ],
)
def test_wrong_birth_years_are_refused_and_nothing_is_written(client, erin, ri, data, field):
    client.force_login(erin)
    version = Person.objects.get(pk=ri.pk).version
    response = client.post(reverse("person_birth_years", args=[ri.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors and (field is None or field in errors), errors
    assert Person.objects.get(pk=ri.pk).version == version


def test_birth_years_saved_meanwhile_by_someone_else_are_not_overwritten(client, erin, ri):
    client.force_login(erin)
    url = reverse("person_birth_years", args=[ri.pk])
    seen = client.get(url).context["form"]["seen_version"].value()
    Person.objects.filter(pk=ri.pk).update(birth_year_earliest=1990)
    response = client.post(url, {"birth_year_earliest": "1995", "seen_version": seen})
    assert response.status_code == 200 and "Someone else saved this record" in response.content.decode()
    assert Person.objects.get(pk=ri.pk).birth_year_earliest == 1990


def test_birth_years_need_the_right_to_change_people_and_a_visible_person(client, victor, olivia, restricted_case, ri):
    held = factories.PersonFactory(display_name="Held in the restricted case")
    factories.CaseSubjectFactory(case=restricted_case, person=held)
    url = reverse("person_birth_years", args=[held.pk])
    client.force_login(grant(olivia, "add", "change", "view"))
    assert client.get(url).status_code == 404 and client.post(url, {"birth_year_earliest": "1990"}).status_code == 404
    client.force_login(victor)  # sees Ri (a normal case), may not change him
    own = reverse("person_birth_years", args=[ri.pk])
    assert client.get(own).status_code == 403 and client.post(own, {"birth_year_earliest": "1990"}).status_code == 403
    assert not Person.objects.filter(birth_year_earliest=1990).exists()
