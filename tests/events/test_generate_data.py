"""generate_data makes a realistic caseload that keeps every rule of the model."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from casework.models import Case, CaseMember, ReferenceCounter, RequestUpdate, StatedRequest
from events.models import Citation, Event
from people.models import Person, PersonName

FOREIGN_KEYS = [
    ("casework_casesubject", "case_id", "casework_case"),
    ("casework_casesubject", "person_id", "people_person"),
    ("people_personname", "person_id", "people_person"),
    ("casework_statedrequest", "case_id", "casework_case"),
    ("casework_statedrequest", "person_id", "people_person"),
    ("casework_requestupdate", "request_id", "casework_statedrequest"),
    ("casework_involvement", "case_id", "casework_case"),
    ("casework_positionstatement", "involvement_id", "casework_involvement"),
    ("events_event", "case_id", "casework_case"),
    ("events_citation", "event_id", "events_event"),
    ("events_citation", "source_id", "events_source"),
    ("casework_casemember", "case_id", "casework_case"),
]


@pytest.fixture
def generated(db):
    out = io.StringIO()
    call_command("generate_data", cases=60, seed=7, stdout=out)
    return out.getvalue()


def test_it_says_what_it_disabled_and_what_it_made(generated):
    assert "History triggers" in generated and "disabled" in generated
    assert "Generated" in generated and "60 cases" in generated


def test_the_sizes_look_like_a_real_caseload(generated):
    cases = Case.objects.count()
    assert cases == 60
    assert 1.0 <= Person.objects.count() / cases <= 1.5
    assert PersonName.objects.count() == 3 * Person.objects.count()
    assert 2 <= StatedRequest.objects.count() / cases <= 4
    assert RequestUpdate.objects.exists()
    assert Event.objects.filter(case=Case.objects.order_by("id").first()).count() >= 500, "a few huge cases"
    assert Citation.objects.count() == Event.objects.count()
    restricted = Case.objects.filter(confidentiality="restricted")
    members = CaseMember.objects.filter(case__in=restricted)
    assert members.filter(user__username="bench-editor").count() < restricted.count()
    assert members.exclude(user__username="bench-editor").count() == 4 * restricted.count()


def test_the_benchmark_editor_sees_the_restricted_cases_of_a_third_of_the_teams(db):
    call_command("generate_data", cases=400, seed=3, stdout=io.StringIO())
    editor = get_user_model().objects.get(username="bench-editor")
    assert editor.groups.filter(name="editor").exists()
    restricted = Case.objects.filter(confidentiality="restricted")
    seen = Case.objects.visible_to(editor).filter(confidentiality="restricted").count()
    assert 0 < seen < restricted.count()
    assert Case.objects.visible_to(editor).filter(confidentiality="normal").count() == 400 - restricted.count()


def test_every_foreign_key_points_at_a_row(generated):
    with connection.cursor() as cursor:
        for table, column, target in FOREIGN_KEYS:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" t LEFT JOIN "{target}" r ON r.id = t."{column}" '  # noqa: S608
                f'WHERE t."{column}" IS NOT NULL AND r.id IS NULL'
            )
            assert cursor.fetchone()[0] == 0, f"{table}.{column}"


def test_references_are_valid_and_the_database_will_not_issue_them_again(generated):
    for case in Case.objects.only("reference", "opened_on"):
        assert case.reference.startswith(f"VIG-{case.opened_on.year}-")
    year = Case.objects.order_by("-opened_on").first().opened_on.year
    assert ReferenceCounter.objects.get(year=year).last_number >= Case.objects.filter(opened_on__year=year).count()


def test_generated_people_are_found_by_another_spelling(generated):
    korean = Person.objects.exclude(name_original="").first()
    other = korean.names.filter(language="ru-Cyrl").get().name
    assert korean in Person.objects.search_names(other)


def test_the_home_page_counters_are_whole_after_the_load(generated):
    """The load runs with triggers off; the counters are rebuilt after it, so the home page's
    figures count what was generated (recount_home --check: rebuilding them changes nothing)."""
    from casework.models import HomeCount

    assert HomeCount.objects.filter(figure="case").exists()
    out = io.StringIO()
    call_command("recount_home", "--check", stdout=out)
    assert "agree" in out.getvalue()


def test_triggers_work_again_after_the_load(generated):
    case = Case.objects.first()
    case.title = "Edited after generation"
    case.save()
    assert case.history.filter(pgh_label="update").exists()
    assert Case.objects.get(pk=case.pk).version == 2


def test_requests_last_moved_on_is_what_the_database_would_keep(generated):
    from casework.models import LAST_MOVED_SQL

    expected = LAST_MOVED_SQL.replace("NEW.", "r.")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM casework_statedrequest r WHERE r.last_moved_on IS DISTINCT FROM {expected}"  # noqa: S608 - our own SQL
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM casework_statedrequest WHERE last_moved_on IS NULL")
        assert cursor.fetchone()[0] == 0
