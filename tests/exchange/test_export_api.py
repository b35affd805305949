"""Exports as jobs through the API, saved partner profiles, places generalised to
their region, and the profiles drawn from core/exposure/ (one source of truth)."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import Case, ExportLog
from core import exposure
from core.models import BackgroundWork
from core.roles import DATA_MANAGER
from exchange import exports
from exchange.models import ExportProfile, ExportState, PreparedExport
from tests import factories
from tests.exchange_jobs import run_queued_jobs


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo(db, dana):
    call_command("load_demo")
    return Case.objects.get()


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def downloaded(client, body) -> bytes:
    response = client.get(body["download"])
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def ask(client, **data):
    return client.post("/api/v1/exports/", {"format": "json", "layout": "workbook", **data}, format="json")


# ------------------------------------------------------------------ the API and its job


def test_an_export_asked_through_the_api_is_written_by_a_job_then_downloaded_and_logged(demo, dana):
    client = api(dana)
    response = ask(client, profile="partner", filters={"status": demo.status})
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == body["url"] and body["state"] == "queued" and body["download"] is None
    work = BackgroundWork.objects.get(kind="export")
    assert work.owner == dana and demo.title not in work.title, "the progress names no case"

    assert run_queued_jobs() == ["exchange.run_export"]

    body = client.get(body["url"]).json()
    assert body["state"] == "ready" and body["rows"] > 0 and body["download"]
    data = downloaded(client, body)
    assert [c["title"] for c in json.loads(data)["cases"]] == [demo.title]
    log = ExportLog.objects.get()
    assert (log.username, log.channel, log.profile, log.query) == ("dana", "api", "partner", f"status={demo.status}")
    assert log.sha256 == hashlib.sha256(data).hexdigest() == body["sha256"] and log.rows == body["rows"]
    assert demo.title not in str(log.__dict__), "the log never holds the rows"


def test_an_export_is_its_askers_alone_and_its_download_expires(demo, dana, alice):
    second = factories.UserFactory(username="dmitri")
    second.groups.add(Group.objects.get(name=DATA_MANAGER))
    body = ask(api(dana), profile="public").json()
    run_queued_jobs()
    for other in (second, alice, None):
        client = api(other)
        assert client.get(body["url"]).status_code in (401, 403, 404)
        assert client.get(f"{body['url']}download/").status_code in (401, 403, 404)
    PreparedExport.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = api(dana).get(f"{body['url']}download/")
    assert response.status_code == 410 and "expired" in response.json()["detail"]
    assert not PreparedExport.objects.get().file, "the expired file is deleted"


def test_a_full_export_through_the_api_waits_for_a_second_data_manager(demo, dana, settings):
    settings.VIGIL_EXPORT_FULL_NEEDS_APPROVAL = True
    body = ask(api(dana), profile="full").json()
    assert body["state"] == "pending" and run_queued_jobs() == []
    assert api(dana).post(f"{body['url']}approve/").status_code == 400, "not by the one who asked"
    assert api(dana).get(f"{body['url']}download/").status_code == 409
    second = factories.UserFactory(username="dmitri")
    second.groups.add(Group.objects.get(name=DATA_MANAGER))
    approved = api(second).post(f"{body['url']}approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "queued"
    run_queued_jobs()
    data = json.loads(downloaded(api(dana), api(dana).get(body["url"]).json()))
    assert any(person["health_notes"] for person in data["people"]), "full: sensitive details for a data manager"
    assert ExportLog.objects.get().profile == "full"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"profile": "secret"}, "profile"),
        ({"profile": "public", "format": "pdf"}, "format"),
        ({"profile": "public", "layout": "pile"}, "layout"),
        ({"profile": "public", "filters": {"status": "nonsense"}}, "status"),
        ({"profile": "public", "filters": ["status"]}, "filters"),
        ({}, "profile"),
    ],
)
def test_a_bad_export_request_is_refused_field_by_field(dana, data, field):
    response = api(dana).post("/api/v1/exports/", data, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not PreparedExport.objects.exists() and not BackgroundWork.objects.exists()


def test_who_may_not_export_is_refused(alice, dana):
    assert api(None).post("/api/v1/exports/", {"profile": "public"}, format="json").status_code == 401
    assert ask(api(alice), profile="public").status_code == 403
    exporter = factories.UserFactory(username="ed")
    exporter.user_permissions.add(Permission.objects.get(codename="export_cases"))
    exporter = type(exporter).objects.get(pk=exporter.pk)
    assert ask(api(exporter), profile="full").status_code == 403, "a full export is a data manager's"
    assert ask(api(exporter), profile="public").status_code == 202
    assert not PreparedExport.objects.filter(profile="full").exists()


def test_an_export_made_by_a_job_holds_only_what_its_asker_may_see(restricted_case, open_case, olivia):
    factories.CaseSubjectFactory(case=restricted_case, person=factories.PersonFactory(display_name="Hidden Person"))
    factories.CaseSubjectFactory(case=open_case, person=factories.PersonFactory(display_name="Open Person"))
    olivia.user_permissions.add(Permission.objects.get(codename="export_cases"))
    olivia = type(olivia).objects.get(pk=olivia.pk)
    body = ask(api(olivia), profile="partner", filters={"q": restricted_case.title}).json()
    run_queued_jobs()
    data = json.loads(downloaded(api(olivia), api(olivia).get(body["url"]).json()))
    assert data["cases"] == [] and data["people"] == []
    body = ask(api(olivia), profile="partner").json()
    run_queued_jobs()
    data = json.loads(downloaded(api(olivia), api(olivia).get(body["url"]).json()))
    assert [p["display_name"] for p in data["people"]] == ["Open Person"]


# ------------------------------------------------------------------ saved partner profiles


def test_a_data_manager_saves_a_partner_profile_and_exports_exactly_its_fields(demo, dana, client):
    client = api(dana)
    listing = client.get("/api/v1/exports/profiles/").json()
    assert "region" in listing["exportable"]["detentions"] and "health_notes" in listing["exportable"]["people"]
    fields = {"people": ["display_name", "nationality"], "detentions": ["person", "region", "country"]}
    response = client.post("/api/v1/exports/profiles/", {"name": "ICRC", "fields": fields}, format="json")
    assert response.status_code == 201, response.content
    body = ask(client, profile="ICRC").json()
    run_queued_jobs()
    data = json.loads(downloaded(client, client.get(body["url"]).json()))
    assert set(data) == {"people", "detentions"}
    assert set(data["people"][0]) == {"display_name", "nationality"}
    assert data["detentions"][0]["region"] == "Kyiv Oblast"
    assert ExportLog.objects.get().profile == "partner"


def test_a_profile_beyond_the_classification_or_the_users_rights_is_refused_field_by_field(dana, alice):
    client = api(dana)
    bad = {"people": ["display_name", "name_keys", "merged_into"], "ghosts": ["id"], "cases": "title"}
    response = client.post("/api/v1/exports/profiles/", {"name": "Bad", "fields": bad}, format="json")
    assert response.status_code == 400
    problems = response.json()
    assert "name_keys" in problems["people"][0] and {"ghosts", "cases"} <= set(problems)
    response = client.post("/api/v1/exports/profiles/", {"name": "public", "fields": {"people": ["id"]}}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    # A data manager without the right to see sensitive details cannot choose them.
    limited = factories.UserFactory(username="dora")
    for codename in ("export_cases", "export_full"):
        limited.user_permissions.add(Permission.objects.get(codename=codename))
    limited = type(limited).objects.get(pk=limited.pk)
    response = api(limited).post(
        "/api/v1/exports/profiles/", {"name": "Health", "fields": {"people": ["health_notes"]}}, format="json"
    )
    assert response.status_code == 400 and "Sensitive" in response.json()["people"][0]
    # An exporter who may not define profiles is refused.
    alice.user_permissions.add(Permission.objects.get(codename="export_cases"))
    alice = type(alice).objects.get(pk=alice.pk)
    assert api(alice).post("/api/v1/exports/profiles/", {"name": "X", "fields": {}}, format="json").status_code == 403
    assert not ExportProfile.objects.exists()


def test_a_saved_profile_with_sensitive_fields_never_gives_them_to_who_may_not_read_them(demo, dana):
    exports.profile_save(user=dana, name="Medical", fields={"people": ["display_name", "health_notes"]})
    exporter = factories.UserFactory(username="ed")
    exporter.user_permissions.add(Permission.objects.get(codename="export_cases"))
    exporter.user_permissions.add(Permission.objects.get(codename="view_all_cases"))
    exporter = type(exporter).objects.get(pk=exporter.pk)
    body = ask(api(exporter), profile="Medical").json()
    run_queued_jobs()
    data = json.loads(downloaded(api(exporter), api(exporter).get(body["url"]).json()))
    assert data["people"] and all(set(person) == {"display_name"} for person in data["people"])


# ------------------------------------------------------------------ one source of truth, regions


def test_every_profile_is_drawn_from_the_classification():
    for table, label in exports.TABLES.items():
        shown, sensitive = exposure.fields(label, exposure.SHOWN), exposure.fields(label, exposure.SENSITIVE)
        full = exports.resolve_profile("full").fields[table]
        assert set(full) <= set(shown) | set(sensitive)
        assert set(full) >= set(sensitive), "a full export carries the sensitive fields (for who may read them)"
        assert not set(full) & set(exposure.fields(label, exposure.NEVER))
        assert set(exports.PARTNER_FIELDS.get(table, ())) <= set(shown)
    for table, columns in exports.PUBLIC_COLUMNS.items():
        assert {name for _h, name, _how in columns} <= set(exposure.fields(exports.TABLES[table], exposure.SHOWN))
        assert exports.TABLES[table] not in exports.PUBLIC_WITHHELD
    exports.check_public_columns()


def test_a_new_shown_field_is_exported_in_full_and_the_public_profile_refuses_free_text(monkeypatch):
    entry = dict(exposure.EXPOSURE["people.Detention"])
    entry[exposure.SHOWN] = tuple(n for n in entry[exposure.SHOWN] if n != "conditions")
    monkeypatch.setitem(exposure.EXPOSURE, "people.Detention", entry)
    assert "conditions" not in exports.resolve_profile("full").fields["detentions"]
    monkeypatch.undo()
    assert "conditions" in exports.resolve_profile("full").fields["detentions"]
    monkeypatch.setitem(exports.PUBLIC_COLUMNS, "detentions", (("conditions", "conditions", exports.CHOICE),))
    with pytest.raises(ImproperlyConfigured, match="free text"):
        exports.check_public_columns()
    monkeypatch.setitem(exports.PUBLIC_COLUMNS, "detentions", (("where", "facility", exports.REGION),))
    with pytest.raises(ImproperlyConfigured, match="region"):
        exports.check_public_columns()


def test_the_public_export_generalises_a_place_of_detention_to_its_region_when_enough_share_it(demo, dana, settings):
    client = api(dana)
    settings.VIGIL_EXPORT_SMALL_COUNT = 2  # the demo's two men share one region
    body = ask(client, profile="public").json()
    run_queued_jobs()
    data = json.loads(downloaded(client, client.get(body["url"]).json()))
    assert [(d["region"], d["country"]) for d in data["detentions"]] == [("Kyiv Oblast", "Ukraine")] * 2
    text = json.dumps(data, ensure_ascii=False)
    assert "near Kyiv" not in text and "Prisoner-of-war detention facility" not in text
    settings.VIGIL_EXPORT_SMALL_COUNT = 5  # two are too few: only the country
    body = ask(client, profile="public").json()
    run_queued_jobs()
    data = json.loads(downloaded(client, client.get(body["url"]).json()))
    assert [(d["region"], d["country"]) for d in data["detentions"]] == [("", "Ukraine")] * 2


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_export_and_its_owner_follows_the_progress(client):
    from django.db import connection

    from core.models import WorkState
    from tests.watch.conftest import run_worker

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_events; DELETE FROM procrastinate_jobs")
    dana = factories.UserFactory(username="dana")
    dana.groups.add(Group.objects.get(name=DATA_MANAGER))
    case = factories.CaseFactory(title="Open case")
    for number in range(3):
        factories.CaseSubjectFactory(case=case, person=factories.PersonFactory(display_name=f"Person {number}"))
    body = ask(api(dana), profile="partner", format="csv", layout="files").json()
    client.force_login(dana)
    work = BackgroundWork.objects.get(kind="export")
    assert "waiting for a worker" in client.get(f"/watch/work/{work.pk}/").content.decode()

    run_worker()

    work.refresh_from_db()
    assert (work.state, work.owner, work.result_url) == (WorkState.DONE, dana, "/exports/")
    assert work.done == work.total == PreparedExport.objects.get().rows > 0
    assert client.get(f"/watch/work/{work.pk}/status/").json()["percent"] == 100
    assert api(dana).get(body["url"]).json()["state"] == ExportState.READY
    assert ExportLog.objects.get().channel == "api"


def test_the_api_lists_the_askers_exports_filtered_by_state(dana):
    ready = PreparedExport.objects.create(
        profile="public", format="json:workbook", requested_by=dana, state=ExportState.READY
    )
    PreparedExport.objects.create(profile="public", format="json:workbook", requested_by=dana, state=ExportState.FAILED)
    client = api(dana)
    assert len(client.get("/api/v1/exports/").json()) == 2
    assert [row["id"] for row in client.get("/api/v1/exports/?state=ready").json()] == [ready.pk]
    response = client.get("/api/v1/exports/?state=finished")
    assert response.status_code == 400 and "state" in response.json()


def test_the_export_page_filters_its_list_of_exports_beside_the_cases_filters(client, dana):
    ready = PreparedExport.objects.create(
        profile="public", format="json:workbook", requested_by=dana, state=ExportState.READY
    )
    failed = PreparedExport.objects.create(
        profile="public", format="json:workbook", requested_by=dana, state=ExportState.FAILED
    )
    client.force_login(dana)
    page = client.get("/exports/?status=open&exports-state=failed").content.decode()
    assert f'<td data-label="#">{failed.pk}</td>' in page and f'<td data-label="#">{ready.pk}</td>' not in page
