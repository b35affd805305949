"""The dashboard's pages: sign-in, home, the cases list, and who sees what (the case and
person pages: tests/dashboard/test_dashboard_record_pages.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import CaseStatus, GovernmentRole, Priority, RequestCategory, Stance
from casework.services import position_record
from tests import factories
from tests.dashboard_data import build_kursk_case
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")


def page_urls(case, person):
    return [
        reverse("home"),
        reverse("case_list"),
        reverse("case_detail", args=[case.reference]),
        reverse("person_search"),
        reverse("person_detail", args=[person.pk]),
        reverse("event_create", args=[case.reference]),
        reverse("position_create", args=[case.reference]),
        reverse("note_create", args=[case.reference]),
        reverse("follow_up_create", args=[case.reference]),
    ]


# ------------------------------------------------------------------ sign-in


def test_every_page_sends_a_stranger_to_sign_in(client, kursk_case):
    person = kursk_case.subjects.first().person
    for url in page_urls(kursk_case, person):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}", url


def test_the_sign_in_page_says_what_vigil_is_and_nothing_about_any_case(client, kursk_case):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Case tracking for humanitarian advocates" in text
    assert kursk_case.title not in text
    assert kursk_case.reference not in text
    assert "Ri Jong Chol" not in text


def test_signing_in_lands_where_you_were_going(client, editor):
    response = client.post(
        reverse("login"), {"username": "erin", "password": "a long enough password", "next": "/cases/?status=open"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cases/?status=open"


def test_signing_in_without_a_destination_lands_on_what_needs_attention(client, editor):
    response = client.post(reverse("login"), {"username": "erin", "password": "a long enough password"})
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_with_a_message(client, editor):
    response = client.post(reverse("login"), {"username": "erin", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_signing_out_is_a_post_and_ends_the_session(client, editor):
    client.force_login(editor)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_a_forgotten_password_is_reset_by_e_mail(client, editor, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": editor.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Vigil: choose a new password"
    assert "/accounts/reset/" in message.body
    assert editor.username in message.body


def test_the_password_change_page_is_ours(client, editor):
    client.force_login(editor)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "Change your password" in response.content.decode()


# --------------------------------------------------------------------- home


def test_home_lists_stalled_requests_oldest_first_with_whom_and_for_how_long(client, editor):
    case = build_kursk_case()
    old = factories.StatedRequestFactory(
        case=case,
        person=case.subjects.first().person,
        summary="Books",
        category=RequestCategory.READING,
        first_stated_on=datetime.date(2024, 10, 1),
        first_stated_on_precision="quarter",
    )
    fresh = factories.StatedRequestFactory(
        case=case, summary="Warm clothes", first_stated_on=datetime.date.today(), first_stated_on_precision="day"
    )
    client.force_login(editor)
    response = client.get(reverse("home"))
    stalled = response.context["stalled_requests"]
    assert [r.summary for r in stalled] == ["Transfer to South Korea"]
    # Supplies are listed apart, oldest first, never mixed into the stalled list.
    supplies = response.context["supplies_requests"]
    assert [r.summary for r in supplies][:2] == ["Books", "Medicine"]
    assert fresh not in stalled and fresh not in supplies
    text = response.content.decode()
    assert "Transfer to South Korea" in text
    assert "→ <strong>South Korea</strong>" in text  # the destination, not the addressee alone
    assert "without movement" in text
    assert old.pk in [r.pk for r in supplies]
    assert 'id="stalled-count">1<' in text


def test_home_shows_conditional_positions_with_their_condition_and_age(client, editor, kursk_case):
    client.force_login(editor)
    response = client.get(reverse("home"))
    text = response.content.decode()
    assert (
        "South Korea</strong> on Transfer to South Korea (Ri Jong Chol): "
        "Ready to accept them if their intentions are verified."
    ) in text
    assert "stated March 2025" in text


def test_a_position_no_longer_conditional_leaves_the_home_page(client, editor, kursk_case):
    receiving = kursk_case.involvements.get(role=GovernmentRole.RECEIVING_STATE)
    transfer = kursk_case.requests.get(category=RequestCategory.TRANSFER)
    position_record(
        involvement=receiving, request=transfer, stance=Stance.SUPPORTS, stated_on=datetime.date(2025, 6, 1)
    )
    client.force_login(editor)
    assert client.get(reverse("home")).context["conditional_positions"] == []


def test_home_lists_my_follow_ups_due_or_overdue_and_nobody_elses(client, editor, kursk_case):
    today = datetime.date.today()
    factories.FollowUpFactory(
        case=kursk_case, title="Overdue call", assignee=editor, due_on=today - datetime.timedelta(days=3)
    )
    factories.FollowUpFactory(
        case=kursk_case, title="Due soon", assignee=editor, due_on=today + datetime.timedelta(days=2)
    )
    factories.FollowUpFactory(
        case=kursk_case, title="Next month", assignee=editor, due_on=today + datetime.timedelta(days=40)
    )
    factories.FollowUpFactory(case=kursk_case, title="Someone else's", due_on=today)
    factories.FollowUpFactory(
        case=kursk_case,
        title="Already done",
        assignee=editor,
        due_on=today,
        done_at=datetime.datetime.now(datetime.UTC),
    )
    client.force_login(editor)
    response = client.get(reverse("home"))
    assert [f.title for f in response.context["follow_ups"]] == ["Overdue call", "Due soon"]
    assert "overdue" in response.content.decode()


def test_home_counts_open_cases_detainees_and_requests_by_status(client, editor, kursk_case):
    factories.CaseFactory(status=CaseStatus.CLOSED)
    client.force_login(editor)
    context = client.get(reverse("home")).context
    assert context["open_case_count"] == 1
    assert ("in_detention", "in detention", 2) in context["detainee_counts"]
    assert ("stalled", "stalled", 1) in context["request_counts"]
    assert ("stated", "stated", 1) in context["request_counts"]


def test_home_latest_events_hide_sensitive_ones_from_those_not_allowed(client, editor, kursk_case):
    client.force_login(editor)
    titles = [e.title for e in client.get(reverse("home")).context["latest_events"]]
    assert "Captured in the Kursk region" in titles
    assert "Both attempted self-harm" not in titles


def test_restricted_cases_never_appear_in_an_outsiders_counts_or_lists(client, olivia, alice):
    build_kursk_case(lead=alice, title="Restricted copy")
    from casework.models import Case, Confidentiality

    Case.objects.update(confidentiality=Confidentiality.RESTRICTED)
    client.force_login(olivia)
    context = client.get(reverse("home")).context
    assert context["open_case_count"] == 0
    assert context["detainee_counts"] == []
    assert context["request_counts"] == []
    assert context["stalled_requests"] == []
    assert context["conditional_positions"] == []
    assert context["latest_events"] == []
    client.force_login(alice)
    assert client.get(reverse("home")).context["open_case_count"] == 1


# ------------------------------------------------------------------- cases list


@pytest.fixture
def many_cases(kursk_case):
    factories.CaseFactory(title="Journalist held in Minsk", status=CaseStatus.OPEN, priority=Priority.LOW)
    factories.CaseFactory(title="Closed file", status=CaseStatus.CLOSED, priority=Priority.HIGH)
    return kursk_case


def titles(response):
    return [case.title for case in response.context["cases"]]


def test_the_cases_list_filters_by_status(client, editor, many_cases):
    client.force_login(editor)
    response = client.get(reverse("case_list"), {"status": ["open", "closed"]})
    assert sorted(titles(response)) == ["Closed file", "Journalist held in Minsk"]


def test_the_cases_list_filters_by_request_status_and_category(client, editor, many_cases):
    client.force_login(editor)
    response = client.get(reverse("case_list"), {"request_status": "stalled", "request_category": "transfer"})
    assert titles(response) == [many_cases.title]
    response = client.get(reverse("case_list"), {"request_status": "stalled", "request_category": "medicine"})
    assert titles(response) == []


def test_the_cases_list_filters_by_government_and_its_role(client, editor, many_cases):
    client.force_login(editor)
    assert titles(client.get(reverse("case_list"), {"government": "KR", "government_role": "receiving_state"})) == [
        many_cases.title
    ]
    assert titles(client.get(reverse("case_list"), {"government": "KR", "government_role": "detaining_state"})) == []


def test_the_cases_list_filters_by_nationality_and_searches_full_text(client, editor, many_cases):
    client.force_login(editor)
    assert titles(client.get(reverse("case_list"), {"nationality": "KP"})) == [many_cases.title]
    assert titles(client.get(reverse("case_list"), {"q": "Minsk"})) == ["Journalist held in Minsk"]


def test_the_cases_list_sorts_by_priority_both_ways(client, editor, many_cases):
    client.force_login(editor)
    assert titles(client.get(reverse("case_list"), {"sort": "priority"})) == [
        many_cases.title,
        "Closed file",
        "Journalist held in Minsk",
    ]
    assert titles(client.get(reverse("case_list"), {"sort": "-priority"}))[0] == "Journalist held in Minsk"


def test_the_cases_list_keeps_filters_in_its_sort_and_page_links(client, editor, many_cases):
    client.force_login(editor)
    text = client.get(reverse("case_list"), {"status": "open", "sort": "title"}).content.decode()
    assert "?status=open&amp;sort=-title" in text
    assert '<option value="title" selected>Title, ascending</option>' in text  # sorting on a phone, too


def test_the_cases_list_is_paginated(client, editor):
    for number in range(27):
        factories.CaseFactory(title=f"Case {number:02d}")
    client.force_login(editor)
    first = client.get(reverse("case_list"), {"sort": "title"})
    assert len(first.context["cases"]) == 25
    second = client.get(reverse("case_list"), {"sort": "title", "page": 2})
    assert titles(second) == ["Case 25", "Case 26"]


def test_the_cases_list_says_clearly_when_nothing_matches(client, editor, many_cases):
    client.force_login(editor)
    text = client.get(reverse("case_list"), {"q": "nothing-like-this"}).content.decode()
    assert "No case matches" in text


def test_an_invalid_filter_is_named_not_silently_ignored(client, editor, many_cases):
    client.force_login(editor)
    response = client.get(reverse("case_list"), {"status": "lost", "opened_after": "yesterday"})
    assert response.status_code == 200
    assert titles(response) == []
    form = response.context["form"]
    assert "status" in form.errors
    assert "opened_after" in form.errors
    assert "Some filters need fixing" in response.content.decode()


def test_restricted_cases_are_listed_for_their_team_only(client, alice, bob, olivia, restricted_case, open_case):
    client.force_login(olivia)
    assert titles(client.get(reverse("case_list"))) == [open_case.title]
    assert titles(client.get(reverse("case_list"), {"q": "Kursk"})) == []
    client.force_login(bob)
    assert sorted(titles(client.get(reverse("case_list")))) == sorted([open_case.title, restricted_case.title])
