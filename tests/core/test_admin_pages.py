"""Every admin page of every Vigil model renders, and lists cost a constant number of queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import CaseView, ExportLog
from events.demo import load_demo
from tests import factories

VIGIL_APPS = {"people", "casework", "events"}
MODEL_ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in VIGIL_APPS),
    key=lambda model: model._meta.label,
)


def _url(model, view, *args):
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def demo(db, sam, alice, bob):
    """The demo case, plus a second case with other users, so every list has rows with different relations."""
    case = load_demo(lead=sam)
    other = factories.CaseFactory(lead=alice)
    factories.CaseMemberFactory(case=other, user=bob)
    factories.CaseMemberFactory(case=case, user=alice)
    person = factories.PersonFactory()
    factories.PersonIdentifierFactory(person=person)
    factories.PersonIdentifierFactory()
    factories.FollowUpFactory(case=other, assignee=bob)
    factories.CaseNoteFactory(case=other, author=alice)
    factories.InterventionFactory(case=other, government=factories.GovernmentFactory(), made_by=bob)
    factories.StatedRequestFactory(case=other, person=person)
    factories.CitationFactory(event=factories.EventFactory(case=other))
    for username in ("alice", "bob"):
        CaseView.objects.create(case=other, case_reference=other.reference, username=username, channel="admin")
        ExportLog.objects.create(username=username, channel="dashboard", what="cases.csv", rows=2)
    return case


@pytest.mark.parametrize("model", MODEL_ADMINS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render(model, demo, client, sam):
    client.force_login(sam)
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "changelist"), {"q": "Korea"}).status_code == 200
    add = client.get(_url(model, "add"))
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(type("R", (), {"user": sam})()):
        assert add.status_code == 200
    else:
        assert add.status_code == 403, "updates and positions are added through their parent's page"
    obj = model.objects.first()
    assert obj is not None, f"the demo case has no {model._meta.verbose_name}"
    assert client.get(_url(model, "change", obj.pk)).status_code == 200
    history = client.get(_url(model, "history", obj.pk))
    assert history.status_code == 200
    if hasattr(model, "history"):  # tracked by triggers (every model but the view log, itself a log)
        assert "added" in history.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODEL_ADMINS, ids=lambda m: m._meta.label)
def test_a_changelist_makes_as_many_queries_for_one_row_as_for_a_full_page(model, demo, client, sam, monkeypatch):
    client.force_login(sam)
    url = _url(model, "changelist")
    rows = model.objects.count()
    assert rows >= 2, f"{model._meta.label} needs rows for this test"
    model_admin = admin.site._registry[model]
    client.get("/admin/")  # the first page after signing in saves the session (its sign-in time): not counted
    monkeypatch.setattr(model_admin, "list_per_page", 1)
    one = _queries(client, url)
    monkeypatch.setattr(model_admin, "list_per_page", 500)
    many = _queries(client, url)
    assert many == one, f"{model._meta.label}: {one} queries for a page of 1 row, {many} for {rows} rows"
