"""Sensitive details (issue 5, item 2) under attack: Eddie is an editor on the
restricted case's team without ``people.view_sensitive``; every page, API
response and search he can reach is searched for them. Lena, its lead (case
leads may see sensitive details), finds them on the same pages, so each check
can fail.

Every sensitive detail in tests/attack_surface.py says "Ochre": health and
welfare notes, family and GC III details, the risk assessment, a service number,
a welfare incident and an event marked sensitive.
"""

from __future__ import annotations

import pytest
from django.contrib import admin

from events.models import Event
from people.models import Person, PersonIdentifier
from tests.attack_surface import (  # noqa: F401 (world_fixture: the module's data)
    SENSITIVE_WORD,
    api_client,
    api_routes,
    placeholders,
    web_client,
    world_fixture,
)

#: what the API, forms and pages would call a sensitive field, were it there
SENSITIVE_NAMES = (*Person.SENSITIVE_FIELDS, "life at risk", "Risk if returned", "SN-OCHRE-77")


def exposed(response) -> list[str]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # a file download
    body = raw.decode(errors="replace")
    found = [name for name in SENSITIVE_NAMES if name in body]
    return found + ([SENSITIVE_WORD] if SENSITIVE_WORD.lower() in body.lower() else [])


def api_urls(world) -> list[str]:
    """Every API list (all of it, and the restricted case's part) and every detail of its objects."""
    urls = []
    for route in api_routes():
        if "GET" not in route.methods:
            continue
        names = placeholders(route.template)
        if not names:
            urls.append(route.template)
            filters = getattr(getattr(route.view, "filterset_class", None), "base_filters", {})
            if "case" in filters:  # elsewhere ?case= is an unknown parameter: a 400
                urls.append(f"{route.template}?case={world.case.pk}")
        elif names == ["case"]:
            urls.append(route.template.format(case=world.case.pk))
        else:
            urls += [route.template.format(**{names[0]: pk}) for pk in world.ids(route.model)]
    return urls


def dashboard_urls(world) -> list[str]:
    people = [f"/people/{pk}/" for pk in world.ids(Person)]
    # Each event's translations page: a sensitive one is a 404 for who may not see it.
    translations = [f"/cases/{world.reference}/translations/event/{pk}/" for pk in world.ids(Event)]
    return ["/", "/cases/", "/people/", f"/cases/{world.reference}/", *people, *translations]


def admin_urls(world) -> list[str]:
    urls = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, f"{base}add/"]
        for pk in world.ids(model):
            urls += [f"{base}{pk}/{page}/" for page in ("change", "history", "delete")]
    return urls


def pages_showing(world, who: str) -> dict[str, list[str]]:
    """Every page and response ``who`` reads, with the sensitive details it shows."""
    api, web = api_client(world, who), web_client(world, who)
    shown = {}
    for url in api_urls(world):
        shown[url] = (api.get(url).status_code, exposed(api.get(url)))
    for url in dashboard_urls(world) + admin_urls(world):
        response = web.get(url)
        shown[url] = (response.status_code, exposed(response))
    return shown


def test_an_editor_without_the_permission_sees_no_sensitive_detail_anywhere(world, db):
    shown = pages_showing(world, "member")
    assert len(shown) > 100
    # Sensitive records (a service number, a welfare incident, its source) are 404s, the view log a 403.
    statuses = [status for status, _found in shown.values()]
    unexpected = {url: status for url, (status, _found) in shown.items() if status not in {200, 403, 404}}
    assert not unexpected
    assert statuses.count(200) > 80
    leaks = {url: found for url, (_status, found) in shown.items() if found}
    assert not leaks


def test_the_lead_with_the_permission_sees_them_on_the_same_pages(world, db):
    shown = {url: found for url, (_status, found) in pages_showing(world, "lead").items() if found}
    ivan = world.objects["ivan"].pk
    for url in (
        f"/api/v1/people/{ivan}/",
        f"/api/v1/cases/{world.case.pk}/timeline/",
        f"/people/{ivan}/",
        f"/cases/{world.reference}/",
        f"/admin/people/person/{ivan}/change/",
    ):
        assert SENSITIVE_WORD in shown.get(url, []), url
    assert "health_notes" in shown[f"/api/v1/people/{ivan}/"]


SEARCHES = {
    # (url, query) → what each may find: the person, or a sensitive event
    "api risk": ("/api/v1/people/", {"risk_level": "extreme"}),
    "api service number": ("/api/v1/people/", {"identifier": "SN-OCHRE-77"}),
    "api identifiers": ("/api/v1/person-identifiers/", {"kind": "service_number"}),
    "api events": ("/api/v1/events/", {"kind": "welfare_incident"}),
    "admin health": ("/admin/people/person/", {"health_notes__icontains": "Ochre"}),
    "admin welfare": ("/admin/people/person/", {"welfare_notes__icontains": "Ochre"}),
    "admin family": ("/admin/people/person/", {"mother_maiden_name__icontains": "Ochre"}),
    "admin risk": ("/admin/people/person/", {"risk_level__exact": "extreme"}),
    "admin risk reason": ("/admin/people/person/", {"risk_reason__icontains": "Ochre"}),
    "admin service number": ("/admin/people/personidentifier/", {"q": "SN-OCHRE-77"}),
    "admin incident": ("/admin/events/event/", {"q": "Ochre"}),
    "admin incident kind": ("/admin/events/event/", {"kind__exact": "welfare_incident"}),
}


def found_by(world, who: str, url: str, query: dict) -> bool:
    """Whether the search answers with Ivan or a sensitive event (by id or link)."""
    client = api_client(world, who) if url.startswith("/api/") else web_client(world, who)
    response = client.get(url, query)
    if response.status_code != 200:
        return False
    body = response.content.decode()
    ivan = world.objects["ivan"].pk
    hidden_events = Event.objects.filter(case=world.case, title__startswith="Ochre").values_list("pk", flat=True)
    if url.startswith("/api/"):
        ids = {row["id"] for row in response.json()["results"]}
        if "identifiers" in url:
            return bool(response.json()["results"]) and any(
                r["kind"] == "service_number" for r in response.json()["results"]
            )
        return (ivan in ids and "people" in url) or bool(ids & set(hidden_events))
    service_numbers = PersonIdentifier.objects.filter(value="SN-OCHRE-77").values_list("pk", flat=True)
    links = [f"event/{pk}/change/" for pk in hidden_events] + [
        f"personidentifier/{pk}/change/" for pk in service_numbers
    ]
    return any(link in body for link in [*links, f"person/{ivan}/change/"])


@pytest.mark.parametrize("search", SEARCHES)
def test_an_editor_without_the_permission_cannot_find_anyone_by_a_sensitive_detail(search, world, db):
    url, query = SEARCHES[search]
    assert not found_by(world, "member", url, query)
    assert found_by(world, "lead", url, query)  # the same search finds it with the permission
