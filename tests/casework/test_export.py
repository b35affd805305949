"""Data managers export the cases list as CSV; each export is logged, never its rows."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from casework.models import ExportLog
from core.roles import DATA_MANAGER
from tests import factories


@pytest.fixture
def dana(db):
    user = factories.UserFactory(username="dana")
    user.groups.add(Group.objects.get(name=DATA_MANAGER))
    return type(user).objects.get(pk=user.pk)


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_data_manager_exports_the_filtered_list_and_the_export_is_logged(client, dana, restricted_case):
    factories.CaseFactory(title="Stalled one", status="stalled")
    factories.CaseFactory(title="Open one", status="open")
    client.force_login(dana)
    response = client.get("/cases/export.csv", {"status": "stalled"}, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert [row["title"] for row in _rows(response)] == ["Stalled one"]
    log = ExportLog.objects.get()
    assert (log.username, log.what, log.rows, log.query, log.ip_address) == (
        "dana", "cases.csv", 1, "status=stalled", "198.51.100.4",
    )  # fmt: skip
    assert "Stalled one" not in str(log.__dict__), "the log never holds the rows"


def test_editors_cannot_export(client, alice):
    client.force_login(alice)
    assert client.get("/cases/export.csv").status_code == 403
    assert not ExportLog.objects.exists()


def test_an_export_holds_only_cases_the_exporter_may_see(client, olivia, restricted_case, open_case):
    olivia.user_permissions.add(Permission.objects.get(codename="export_cases"))
    client.force_login(olivia)
    titles = [row["title"] for row in _rows(client.get("/cases/export.csv"))]
    assert titles == [open_case.title]


def test_bad_filters_are_refused_with_what_to_fix(client, dana):
    client.force_login(dana)
    response = client.get("/cases/export.csv", {"status": "sleeping"})
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_cells_that_a_spreadsheet_would_run_are_defused(client, dana):
    factories.CaseFactory(title='=HYPERLINK("http://evil.example","click")')
    client.force_login(dana)
    assert _rows(client.get("/cases/export.csv"))[0]["title"].startswith("'=")


def test_the_cases_list_offers_the_export_only_to_those_allowed(client, dana, alice):
    client.force_login(dana)
    assert "Export these cases (CSV)" in client.get("/cases/", {"status": "open"}).content.decode()
    client.force_login(alice)
    assert "Export these cases (CSV)" not in client.get("/cases/").content.decode()


def test_stored_script_stays_text_in_the_csv(client, dana):
    factories.CaseFactory(title='<script>alert("x")</script>')
    client.force_login(dana)
    response = client.get("/cases/export.csv")
    assert response["Content-Type"].startswith("text/csv"), "never served as a page a browser would run"
    assert _rows(response)[0]["title"] == '<script>alert("x")</script>'
