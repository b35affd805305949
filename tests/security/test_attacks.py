"""Attack tests (issue 5, item 10): an outsider (an editor off the team), a viewer
on another case and an anonymous client try every endpoint and page Vigil
serves against every object of a restricted case, and not one answer leaks it.

The objects' ids come from the superuser's view (what the restricted case added
to it); the URLs come from the code (tests/attack_surface.py). A response leaks
when it is a success showing the case's words, names or reference, or the id of
one of its objects, or when a write changed anything (tests/attack_verdicts.py).
The admin's pages are attacked in tests/security/test_attacks_admin.py.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import FieldDoesNotExist
from django_filters import CharFilter, ModelChoiceFilter

from casework.models import Case, CaseNote, FollowUp, PositionStatement, StatedRequest
from core.models import TextTranslation
from events.models import Event, Source
from evidence.models import EvidenceFile
from people.models import Person
from tests.attack_surface import (  # noqa: F401 (world_fixture: the module's data)
    MISSING_ID,
    SECRET_WORDS,
    api_client,
    api_routes,
    dashboard_routes,
    guarded_models,
    placeholders,
    snapshot,
    web_client,
    world_fixture,
)
from tests.attack_verdicts import ATTACKERS, REFUSALS, Verdicts


def test_the_superuser_sees_every_object_the_attacks_aim_at(world, db):
    client = api_client(world, "sam")
    routes = {route.model: route for route in api_routes() if not route.is_list and route.template.endswith("{pk}/")}
    assert len(world.secret_ids) >= 15  # every kind of record hangs off the restricted case
    for model, ids in world.secret_ids.items():
        if model in routes:
            for pk in ids:
                url = routes[model].template.format(pk=pk)
                assert client.get(url).status_code == 200, url
    assert client.get(f"/api/v1/cases/{world.reference}/").status_code == 200


# ------------------------------------------------------------------------ API


def linked_model(model, name, declared):
    """The model a ``?<name>=<id>`` filter takes the id of: the end of its field path
    (``event_governments__government`` takes a government's id, not a link's)."""
    try:
        target = model
        for part in declared.field_name.split("__"):
            target = target._meta.get_field(part).related_model
        return target
    except (FieldDoesNotExist, AttributeError):
        by_name = {m._meta.model_name: m for m in guarded_models()} | {"request": StatedRequest}
        assert name in by_name, f"tests/security/test_attacks.py does not know which model ?{name}= points at"
        return by_name[name]


def list_queries(world, route) -> list[tuple[dict, dict | None]]:
    """(query, the same query with a missing id) for every filter of the route."""
    queries = [({}, None)] + [({name: word}, None) for name in ("search", "q") for word in SECRET_WORDS]
    queries.append(({"search": "brothers Kursk"}, None))
    filterset = getattr(route.view, "filterset_class", None)
    for name, declared in filterset.base_filters.items() if filterset else []:
        if isinstance(declared, ModelChoiceFilter):
            target = linked_model(route.model, name, declared)
            queries += [({name: pk}, {name: MISSING_ID}) for pk in world.ids(target)[:2]]
        elif isinstance(declared, CharFilter) and name not in ("search", "q"):
            queries += [({name: word}, None) for word in (*SECRET_WORDS, "SN-OCHRE-77", "ICRC-TUMANOV-1")]
    return queries


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_finds_nothing_of_the_restricted_case_in_any_api_list(who, world, db):
    client, verdicts, before = api_client(world, who), Verdicts(world), snapshot()
    lists = [route for route in api_routes() if route.is_list and "GET" in route.methods]
    assert len(lists) >= 17
    for route in lists:
        allowed = {401} if who == "anonymous" else {200, 400}
        for query, missing in list_queries(world, route):
            response = client.get(route.template, query)
            verdicts.check(f"GET {route.template}?{urlencode(query)}", response, allowed=allowed, ids_of=route.model)
            if missing is not None:
                # A restricted case's id is answered exactly like an id never used.
                twin = client.get(route.template, missing)
                if (twin.status_code, twin.content) != (response.status_code, response.content):
                    verdicts.found.append(f"{route.template}?{urlencode(query)} differs from a missing id")
    verdicts.assert_none(before)


def api_targets(world, route) -> list[str]:
    """The route's URL for every restricted object it can reach (by id, and a case by reference)."""
    names = placeholders(route.template)
    assert len(names) == 1, f"attack_surface does not know how to fill {route.template}"
    model = Case if names[0] == "case" else route.model
    if model not in guarded_models():
        return []  # public reference data (governments): nothing of the case to reach
    urls = [route.template.format(**{names[0]: pk}) for pk in world.ids(model)]
    if model is Case:
        urls += [
            route.template.format(**{names[0]: world.reference}),
            route.template.format(**{names[0]: world.reference.lower()}),
        ]
    assert urls, f"no restricted {model.__name__} in attack_surface.build_world to attack {route.template} with"
    return urls


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_cannot_read_or_write_any_restricted_object_through_the_api(who, world, db):
    client, verdicts, before = api_client(world, who), Verdicts(world), snapshot()
    allowed = {401} if who == "anonymous" else REFUSALS
    for route in (route for route in api_routes() if not route.is_list):
        for url in api_targets(world, route):
            for method in ("GET", "PUT", "PATCH", "DELETE", "POST"):
                body = {"status": "done", "note": "forged"} if method in ("PUT", "PATCH", "POST") else None
                response = getattr(client, method.lower())(url, body, format="json")
                verdicts.check(f"{method} {url}", response, allowed=allowed)
            verdicts.check(f"OPTIONS {url}", client.options(url), allowed=allowed | {200})
    verdicts.assert_none(before)


def creation_bodies(world, route) -> list[dict]:
    """Bodies that link a new record to each restricted object a field can point at."""
    serializer = route.view.serializer_class()
    bodies = []
    for name, declared in serializer.fields.items():
        related = getattr(getattr(declared, "queryset", None), "model", None)
        if related is None and hasattr(declared, "child_relation"):
            related = declared.child_relation.queryset.model
        for pk in world.ids(related)[:2] if related else []:
            bodies.append({name: [pk] if hasattr(declared, "child_relation") else pk})
    return bodies


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_cannot_attach_anything_to_the_restricted_case_through_the_api(who, world, db):
    from tests.api_resources import BY_PATH

    attacks = []
    for route in (route for route in api_routes() if route.is_list and "POST" in route.methods):
        path = route.template.removeprefix("/api/v1/").strip("/")
        # A valid body in the open case (its links made now), then each link turned to the restricted case.
        base = BY_PATH[path].payload(world.open_case) if path in BY_PATH else {}
        bodies = creation_bodies(world, route)
        if path not in ("people", "sources", "cases", "governments", "actors", "legal-bases"):
            assert bodies, f"{route.template}: no field links to the restricted case"
        attacks += [(route.template, {**base, **body}) for body in bodies]
    client, verdicts, before = api_client(world, who), Verdicts(world), snapshot()
    allowed = {401} if who == "anonymous" else {400, 403}
    for url, body in attacks:
        verdicts.check(f"POST {url} {body}", client.post(url, body, format="json"), allowed=allowed)
    verdicts.assert_none(before)


# ------------------------------------------------------------------ dashboard


# The e-mails' unsubscribe link works without signing in (RFC 8058 one-click): its token is signed.
PUBLIC_BY_TOKEN = "/watch/unsubscribe/"


def restricted_alert(world):
    """A forced-return alert in the restricted case (raised by the watch's jobs in real life)."""
    from watch.models import Alert

    return Alert.objects.get_or_create(
        key="attack-test", defaults={"rule": "moved_while_protected", "case": world.case, "summary": "Tumanov moved"}
    )[0]


def leads_background_work(world):
    """The case lead's export of the restricted case, finished, its result on the case's page."""
    from core.models import BackgroundWork

    return BackgroundWork.objects.get_or_create(
        kind="export",
        owner=world.users["lead"],
        defaults={"title": "Export of 1 case", "state": "done", "result_url": f"/cases/{world.reference}/"},
    )[0]


def dashboard_urls(world) -> list[str]:
    kinds = {
        "request": StatedRequest,
        "position": PositionStatement,
        "event": Event,
        "note": CaseNote,
        "source": Source,
    }
    kind_ids = {kind: {str(pk) for pk in world.ids(model)} for kind, model in kinds.items()}
    fills = {
        "reference": [world.reference, world.reference.lower(), str(world.case.pk)],
        "pk": [str(pk) for pk in world.ids(Person)],
        "request_id": [str(pk) for pk in world.ids(StatedRequest)],
        "follow_up_id": [str(pk) for pk in world.ids(FollowUp)],
        "alert_id": [str(restricted_alert(world).pk)],
        "file_id": [str(pk) for pk in world.ids(EvidenceFile)],
        "work_id": [str(leads_background_work(world).pk)],
        # A record's translations (dashboard/views/translations.py): every kind, every hidden record's id.
        "kind": list(kind_ids),
        "record_id": sorted(set().union(*kind_ids.values())),
        "translation_id": [str(pk) for pk in TextTranslation.objects.values_list("pk", flat=True)],
    }
    urls = []
    for template, _pattern in dashboard_routes():
        if template.startswith(PUBLIC_BY_TOKEN):
            continue  # reached without a session, by a signed token: test_a_forged_unsubscribe_token_is_refused
        names = placeholders(template)
        unknown = set(names) - set(fills)
        assert not unknown, f"tests/security/test_attacks.py does not know how to fill {unknown} in {template}"
        if not names:
            continue
        combos = [{}]
        for name in names:
            values = fills[name]
            if name == "reference" and len(names) > 1:
                values = [world.reference, world.open_case.reference]  # a restricted id under an open case too
            combos = [{**combo, name: value} for combo in combos for value in values]
        # A record's id is tried under its own kind: another model's id under "event" may be
        # an open record the attacker rightly reaches (ids of different tables overlap).
        combos = [combo for combo in combos if "kind" not in combo or combo["record_id"] in kind_ids[combo["kind"]]]
        urls += [template.format(**combo) for combo in combos]
    return urls


FORM_DATA = {
    "body": "forged",
    "title": "forged",
    "due_on": "2025-05-01",
    "status": "done",
    "occurred_on": "2025-05-01",
    "occurred_on_precision": "day",
    "kind": "other",
    "stance": "supports",
    "stated_on": "2025-05-01",
    "stated_on_precision": "day",
}


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_gets_nothing_from_any_dashboard_page_or_action_of_the_restricted_case(who, world, db):
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    urls = dashboard_urls(world)
    assert len(urls) >= 10
    allowed = {302} if who == "anonymous" else {403, 404, 405}
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, FORM_DATA)
            verdicts.check(f"{method.upper()} {url}", response, allowed=allowed)
            if who == "anonymous" and response.status_code == 302:
                assert response.headers["Location"].startswith("/accounts/login/")
    verdicts.assert_none(before)


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_never_finds_the_restricted_case_on_a_dashboard_list_or_search(who, world, db):
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    # 403: a list the attacker's role may not have at all (the data managers' CSV export).
    allowed = {302} if who == "anonymous" else {200, 403}
    pages = [template for template, _pattern in dashboard_routes() if not placeholders(template)]
    assert {"/", "/cases/", "/people/"} <= set(pages)
    for page in pages:
        for query in [{}, *({"q": word} for word in (*SECRET_WORDS, "brothers", world.reference))]:
            query |= {"lead": world.users["lead"].pk} if page == "/cases/" and query else {}
            verdicts.check(f"GET {page}?{urlencode(query)}", client.get(page, query), allowed=allowed)
    verdicts.assert_none(before)


def test_the_team_does_find_it_on_the_same_pages(world, db):
    """The searches above can fail: the same queries find the case for its team."""
    client = web_client(world, "member")
    assert "Tumanov Ivan" in client.get("/people/", {"q": "Туманов"}).content.decode()
    assert world.reference in client.get("/cases/", {"q": "Tumanov"}).content.decode()
    assert client.get(f"/cases/{world.reference}/").status_code == 200


# ------------------------------------------------------- the watch (docs/watch.md)


@pytest.mark.parametrize("who", [*ATTACKERS, "member"])
def test_a_forged_unsubscribe_token_is_refused(who, world, db):
    from watch.mail import unsubscribe_token

    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    real = unsubscribe_token(user=world.users["lead"], trigger="case_event")
    for token in ("forged", real[:-3] + "abc", real.replace(":", ";")):
        for method in ("get", "post"):
            url = f"{PUBLIC_BY_TOKEN}{token}/"
            verdicts.check(f"{method.upper()} {url}", getattr(client, method)(url), allowed={404})
    verdicts.assert_none(before)


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_finds_nothing_of_the_restricted_case_in_the_change_feed(who, world, db):
    from django.db import connection

    # The world is one transaction: number its changes now, as a commit would (watch/changes.py).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS watch_number_change IMMEDIATE")
    client, verdicts, before = api_client(world, who), Verdicts(world), snapshot()
    guarded = {model._meta.db_table: set(world.ids(model)) for model in guarded_models()}
    cursor, pages = "", 0
    while pages < 100:
        response = client.get("/api/v1/changes/", {"since": cursor, "limit": 200})
        verdicts.check(f"GET /api/v1/changes/?since={cursor}", response, allowed={401} if who == "anonymous" else {200})
        if response.status_code != 200:
            break
        page = response.json()
        from watch.represent import resources

        tables = {name: table for table, (name, _view) in resources().items()}
        shown = [(c["type"], c["id"]) for c in page["changes"] if c["id"] in guarded.get(tables[c["type"]], set())]
        if shown:
            verdicts.found.append(f"change feed: restricted objects {shown}")
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    verdicts.assert_none(before)
    if who != "anonymous":
        assert pages >= 1
        # The same feed does show the case to its team: the check above can fail. (After the
        # snapshot's comparison: the team member's read of the case is rightly in the view log.)
        team_page = api_client(world, "member").get("/api/v1/changes/", {"limit": 200}).json()
        assert any(c["type"] == "cases" and c["id"] == world.case.pk for c in team_page["changes"]) or team_page["more"]


# ------------------------------------------------------- exports as jobs (docs/exchange.md)


def sams_export(world):
    """The superuser's full export of everything, the restricted case included, written and ready."""
    from django.http import QueryDict

    from core.history import Channel
    from exchange import exports
    from exchange.models import PreparedExport
    from tests.exchange_jobs import run_queued_jobs

    found = PreparedExport.objects.filter(requested_by=world.users["sam"]).first()
    if found is None:
        found = exports.export_request(user=world.users["sam"], profile="full", fmt="json", layout="workbook",
                                       params=QueryDict(), channel=Channel.API)  # fmt: skip
        run_queued_jobs()
        found.refresh_from_db()
    return found


@pytest.mark.parametrize("who", [*ATTACKERS, "outsider exporting"])
def test_an_attacker_gets_nothing_of_the_restricted_case_through_the_export_api(who, world, db, tmp_path, settings):
    from django.contrib.auth.models import Permission

    from tests.exchange_jobs import run_queued_jobs

    settings.MEDIA_ROOT = tmp_path
    theirs = sams_export(world)
    with theirs.file.open("rb") as handle:
        assert world.reference in handle.read().decode(), "the target holds the secrets"
    if who == "outsider exporting":  # an editor given the right to export: still only what they may see
        world.users["outsider"].user_permissions.add(Permission.objects.get(codename="export_cases"))
        who = "outsider"
    client, verdicts = api_client(world, who), Verdicts(world)
    before = {label: rows for label, rows in snapshot().items() if label != "casework.ExportLog"}
    for url in (f"/api/v1/exports/{theirs.pk}/", f"/api/v1/exports/{theirs.pk}/download/"):
        verdicts.check(f"GET {url}", client.get(url), allowed=REFUSALS)
    verdicts.check("POST approve", client.post(f"/api/v1/exports/{theirs.pk}/approve/"), allowed=REFUSALS)
    verdicts.check("GET list", client.get("/api/v1/exports/"), allowed={200, 401, 403})
    for filters in ({}, {"q": SECRET_WORDS[0]}, {"reference": world.reference}, {"tag": "tumanov"}):
        for profile in ("full", "partner", "public"):
            response = client.post("/api/v1/exports/", {"profile": profile, "filters": filters}, format="json")
            assert response.status_code in {202, 400, 401, 403}, (profile, filters)  # its body echoes the filters
            if response.status_code != 202:
                continue
            run_queued_jobs()
            body = client.get(response.json()["url"]).json()
            assert body["state"] == "ready", body
            verdicts.check(f"download {profile} {filters}", client.get(body["download"]), allowed={200})
    verdicts.check("GET profiles", client.get("/api/v1/exports/profiles/"), allowed={200, 401, 403})
    assert not verdicts.found, "\n".join(verdicts.found)
    assert {label: rows for label, rows in snapshot().items() if label != "casework.ExportLog"} == before
