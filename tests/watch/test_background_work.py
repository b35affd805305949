"""Long work runs as a job and its owner watches it on "My background work"
(core.background), with a real worker. Alice starts work; Olivia, an outsider,
never sees it; Dana, a data manager, reads the failed ones with their error in admin."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.background import UNEXPECTED, WorkFailed, work_defer, work_running
from core.models import BackgroundWork, WorkState
from evidence.tasks import verify_files
from people.models import DuplicatePair
from tests import factories
from tests.evidence_support import PDF, png, receive
from tests.watch.conftest import make_due_now, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@app.task(name="tests.count_rows")
def count_rows(work_id: int, rows: int) -> None:
    with work_running(work_id) as progress:
        for done in range(1, rows + 1):
            progress.report(done, total=rows, message=f"{done} of {rows} rows read")
        progress.finish(message=f"{rows} rows read", result_url="/watch/notifications/")


@app.task(name="tests.refuse_file")
def refuse_file(work_id: int) -> None:
    with work_running(work_id):
        raise WorkFailed("The file has no header row.")


@app.task(name="tests.break_twice", retry=RetryStrategy(max_attempts=1, wait=60))  # one retry, a minute later
def break_twice(work_id: int) -> None:
    with work_running(work_id):
        raise RuntimeError("disk full under /srv/vigil/secret-path")


def test_the_owner_follows_a_work_to_its_result_and_nobody_else_sees_it(alice, olivia, client):
    work = work_defer(count_rows, kind="import", title="Import of 30 rows", owner=alice, rows=30)
    client.force_login(alice)
    waiting = client.get(f"/watch/work/{work.pk}/").content.decode()
    assert "waiting for a worker" in waiting and 'http-equiv="refresh"' in waiting

    run_worker()

    work.refresh_from_db()
    assert (work.state, work.done, work.total, work.attempts) == (WorkState.DONE, 30, 30, 1)
    page = client.get(f"/watch/work/{work.pk}/").content.decode()
    assert "30 rows read" in page and "/watch/notifications/" in page and 'http-equiv="refresh"' not in page
    status = client.get(f"/watch/work/{work.pk}/status/").json()
    assert (status["state"], status["percent"], status["result_url"]) == ("done", 100, "/watch/notifications/")
    assert "Import of 30 rows" in client.get("/watch/work/").content.decode()

    client.force_login(olivia)
    assert client.get(f"/watch/work/{work.pk}/").status_code == 404
    assert client.get(f"/watch/work/{work.pk}/status/").status_code == 404
    assert "Import of 30 rows" not in client.get("/watch/work/").content.decode()


def test_progress_shows_before_the_work_s_transaction_commits(alice):
    work = BackgroundWork.objects.create(kind="import", title="Import", owner=alice)
    db = connection.settings_dict
    with transaction.atomic(), work_running(work.pk) as progress:
        progress.report(7, total=10, message="7 of 10 rows read")
        with psycopg.connect(
            dbname=db["NAME"], host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"]
        ) as other:
            seen = other.execute("SELECT state, done, total, message FROM core_backgroundwork WHERE id = %s", [work.pk])
            assert seen.fetchone() == ("running", 7, 10, "7 of 10 rows read")


def test_a_failure_written_for_the_owner_is_shown_to_them(alice, client):
    work = work_defer(refuse_file, kind="import", title="Import of a file", owner=alice)
    run_worker()
    work.refresh_from_db()
    assert work.state == WorkState.FAILED and work.message == "The file has no header row."
    client.force_login(alice)
    assert "The file has no header row." in client.get(f"/watch/work/{work.pk}/").content.decode()


def test_an_unexpected_error_waits_for_its_retry_then_fails_and_only_data_managers_read_it(alice, dana, client):
    work = work_defer(break_twice, kind="export", title="Export", owner=alice)
    run_worker()
    work.refresh_from_db()
    assert work.state == WorkState.QUEUED and work.shown_message == "Attempt 1 failed; trying again shortly."
    make_due_now()
    run_worker()
    work.refresh_from_db()
    assert (work.state, work.attempts, work.message) == (WorkState.FAILED, 2, UNEXPECTED)
    assert work.shown_message == "Stopped by an unexpected error; the data managers can read it in admin."
    assert "disk full" in work.error

    client.force_login(alice)
    assert "disk full" not in client.get(f"/watch/work/{work.pk}/").content.decode()
    assert client.get("/admin/core/backgroundwork/").status_code in (302, 403)
    dana.is_staff = True
    dana.save()
    client.force_login(dana)
    listing = client.get("/admin/core/backgroundwork/?state__exact=failed")
    assert listing.status_code == 200 and "disk full" in listing.content.decode()


# ------------------------------------------------------------------ the work a data manager starts


def test_a_data_manager_runs_the_full_duplicate_pass_and_watches_its_progress(dana, client):
    restricted = factories.RestrictedCaseFactory(title="Secret case")
    for name in ("Pak Chol Ho", "Bak Cheol-ho", "Kim Jong Su"):
        person = factories.PersonFactory(display_name=name, nationality="KP")
        factories.PersonIdentifierFactory(person=person, kind="icrc", value=f"ICRC-{name[:1]}")
        factories.CaseSubjectFactory(case=restricted, person=person)
    client.force_login(dana)
    assert "Start: Full duplicate pass" in client.get("/watch/work/").content.decode()
    assert 'value="duplicate_pass"' in client.get("/people/duplicates/").content.decode()
    started = client.post("/watch/work/start/", {"kind": "duplicate_pass"})
    work = BackgroundWork.objects.get(kind="duplicate_pass")
    assert started.url == f"/watch/work/{work.pk}/" and work.owner == dana and work.state == WorkState.QUEUED

    run_worker()

    work.refresh_from_db()
    assert DuplicatePair.objects.count() == 1  # Pak and Bak share their ICRC reference and a name key
    assert (work.state, work.done, work.total) == (WorkState.DONE, work.total, work.total) and work.total >= 1
    assert (
        work.shown_message == f"{work.total:,} pairs sharing a key scored, 1 queued for review"
    )  # counts, never names
    assert work.result_url == "/people/duplicates/"
    assert "1 queued for review" in client.get(f"/watch/work/{work.pk}/").content.decode()


def test_a_second_pass_is_refused_while_one_waits_and_editors_start_none(dana, alice, client):
    client.force_login(dana)
    client.post("/watch/work/start/", {"kind": "duplicate_pass"})
    again = client.post("/watch/work/start/", {"kind": "duplicate_pass"}, follow=True)
    assert "already waiting or running" in again.content.decode()
    assert BackgroundWork.objects.filter(kind="duplicate_pass").count() == 1
    client.force_login(alice)
    assert "Start:" not in client.get("/watch/work/").content.decode()
    for kind in ("duplicate_pass", "verify_files"):
        assert client.post("/watch/work/start/", {"kind": kind}).status_code == 403
    assert BackgroundWork.objects.count() == 1


@pytest.fixture
def clean_store(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_a_data_manager_verifies_the_stored_files_and_the_nightly_run_shows_in_admin(clean_store, dana, alice, client):
    case = factories.CaseFactory(lead=alice)
    receive(alice, case, PDF, name="letter.pdf")
    receive(alice, case, png(), name="photo.png")
    client.force_login(dana)
    client.post("/watch/work/start/", {"kind": "verify_files"})
    run_worker()
    work = BackgroundWork.objects.get(kind="verify_files", owner=dana)
    assert (work.state, work.done, work.total) == (WorkState.DONE, 2, 2)
    assert work.shown_message == "2 checked: 0 changed, 0 missing, 0 orphans"
    assert work.result_url.startswith("/admin/evidence/verificationrun/")

    verify_files.defer()  # the nightly run nobody started
    run_worker()
    nightly = BackgroundWork.objects.get(kind="verify_files", owner=None)
    assert nightly.state == WorkState.DONE and nightly.job_id
    dana.is_staff = True
    dana.save()
    assert "Verify the stored evidence files" in client.get("/admin/core/backgroundwork/").content.decode()
