"""No lost updates: every record carries a version, and a write over a newer one is refused."""

import threading

import pytest
from django.db import connection, connections, transaction

from casework.models import Case
from core.models import RecordChanged
from tests import factories


def test_every_change_raises_the_version_whatever_writes_it(db):
    case = factories.CaseFactory(title="Before")
    assert case.version == 1
    case.title = "Form edit"
    case.save()
    assert case.version == 2
    Case.objects.filter(pk=case.pk).update(title="Bulk edit")
    assert Case.objects.get(pk=case.pk).version == 3


def test_saving_a_stale_copy_is_refused_and_changes_nothing(db):
    case = factories.CaseFactory(title="Before")
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    theirs.title = "Theirs"
    theirs.save()
    mine.title = "Mine"
    with pytest.raises(RecordChanged), transaction.atomic():
        mine.save()
    assert Case.objects.get(pk=case.pk).title == "Theirs"


def _write(case_pk, title, barrier, results):
    """One writer: read the case, wait for the other, then save over it."""
    try:
        copy = Case.objects.get(pk=case_pk)
        copy.title = title
        barrier.wait(timeout=10)
        copy.save()
        results.append(title)
    except RecordChanged:
        results.append("refused")
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_conflicting_writes_exactly_one_wins_every_time():
    rounds = 25
    case = factories.CaseFactory(title="Start")
    for round_number in range(rounds):
        barrier, results = threading.Barrier(2), []
        threads = [
            threading.Thread(target=_write, args=(case.pk, f"{name} {round_number}", barrier, results))
            for name in ("alice", "bob")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results.count("refused") == 1, results
        winner = next(result for result in results if result != "refused")
        assert Case.objects.get(pk=case.pk).title == winner
    assert Case.objects.get(pk=case.pk).version == 1 + rounds
    connection.close()


def _case_form(case, version, title):
    return {
        "title": title,
        "summary": "",
        "tags": "",
        "status": "open",
        "priority": "normal",
        "confidentiality": "normal",
        "opened_on": "2025-01-15",
        "seen_version": version,
        **{
            f"{p}-{k}": "0"
            for p in ("members", "subjects", "requests", "involvements", "follow_ups", "notes")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }


def test_the_admin_refuses_a_stale_save_shows_the_other_change_and_keeps_what_was_typed(client, alice, bob):
    case = factories.CaseFactory(title="Before")
    client.force_login(bob)
    page = client.get(f"/admin/casework/case/{case.pk}/change/").content.decode()
    assert 'name="seen_version" value="1"' in page
    client.force_login(alice)
    assert (
        client.post(f"/admin/casework/case/{case.pk}/change/", _case_form(case, 1, "Alice's title")).status_code == 302
    )

    client.force_login(bob)
    response = client.post(f"/admin/casework/case/{case.pk}/change/", _case_form(case, 1, "Bob's title"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it" in page
    assert "alice: title “Before” → “Alice&#x27;s title”" in page
    assert 'value="Bob&#x27;s title"' in page, "what Bob typed is kept"
    assert 'name="seen_version" value="2"' in page
    assert Case.objects.get(pk=case.pk).title == "Alice's title"

    again = client.post(f"/admin/casework/case/{case.pk}/change/", _case_form(case, 2, "Bob's title"))
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).title == "Bob's title"


def test_a_stale_save_does_not_reveal_sensitive_changes_to_whoever_may_not_see_them(client, alice, sam):
    from people.models import Person

    person = factories.PersonFactory(display_name="Ri Jong Chol", health_notes="Jaw injury", created_by=alice)
    other = Person.objects.get(pk=person.pk)
    other.health_notes = "Attempted self-harm"
    other.display_name = "Ri Jong-chol"
    other.save()
    client.force_login(alice)  # an editor without people.view_sensitive
    assert not alice.has_perm("people.view_sensitive")
    response = client.post(
        f"/admin/people/person/{person.pk}/change/",
        {
            "display_name": "Ri Jong Chol (edited)",
            "name_original": "",
            "sex": "male",
            "birth_date_precision": "day",
            "status": "in_detention",
            "seen_version": 1,
            **{
                f"{p}-{k}": "0"
                for p in ("names", "identifiers", "detentions")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    page = response.content.decode()
    assert "Someone else saved this record" in page
    assert "display_name" in page
    assert "self-harm" not in page and "health_notes" not in page
