"""Attack tests on the admin (issue 5, item 10): an outsider, a viewer on another
case and an anonymous client try every admin page, list, autocomplete, add page and
action against every object of a restricted case, and not one answer leaks it
(how a response is judged: tests/attack_verdicts.py; the world: tests/attack_surface.py).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from casework.models import Case
from tests.attack_surface import (  # noqa: F401 (world_fixture: the module's data)
    SECRET_WORDS,
    admin_autocomplete_fields,
    snapshot,
    web_client,
    world_fixture,
)
from tests.attack_verdicts import ATTACKERS, Verdicts


def admin_object_urls(world) -> list[str]:
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        content_type = ContentType.objects.get_for_model(model)
        for pk in world.ids(model):
            base = f"/admin/{opts.app_label}/{opts.model_name}/{pk}/"
            urls += [f"{base}change/", f"{base}history/", f"{base}delete/", f"/admin/r/{content_type.pk}/{pk}/"]
    return urls


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_gets_nothing_from_any_admin_page_of_a_restricted_object(who, world, db):
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    urls = admin_object_urls(world)
    assert len(urls) > 100
    allowed = {302} if who == "anonymous" else {403, 404}
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"post": "yes", "title": "forged"})
            verdicts.check(f"{method.upper()} {url}", response, allowed=allowed)
            if who == "anonymous":
                assert response.headers.get("Location", "/admin/login/").startswith("/admin/login/"), url
    verdicts.assert_none(before)


def objects_linking_to_hidden(user) -> list:
    """Objects ``user`` may see, of every registered model, that link to a record they
    may not see (the open case's event naming a person held only in the restricted
    case): read from the models' relations, so a new relation is tried too."""
    from core.hidden_links import guarded_relations
    from core.querysets import visible

    found = []
    for model in admin.site._registry:
        rows = model._default_manager.all()
        if not hasattr(rows, "visible_to"):
            continue
        for field in guarded_relations(model):
            shown = visible(field.related_model._default_manager.all(), user).values("pk")
            linking = visible(rows, user).exclude(**{f"{field.name}__isnull": True})
            found += list(linking.exclude(**{f"{field.name}__in": shown})[:3])
    return found


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_an_admin_page_of_a_visible_record_never_names_the_hidden_record_it_links_to(who, world, db):
    """Change, history and delete pages, "delete selected" and the inlines of a record
    the attacker may see print a link to a hidden record as "(a record you may not
    see)", keep it when the record is saved, and refuse to delete it."""
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    objects = objects_linking_to_hidden(world.users[who])
    assert objects, "the world has an open event naming a person held only in the restricted case"
    for obj in objects:
        opts = obj._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        for suffix in ("change/", "history/", "delete/"):
            verdicts.check(f"GET {base}{obj.pk}/{suffix}", client.get(f"{base}{obj.pk}/{suffix}"), allowed={200, 403})
        for confirm in ({}, {"post": "yes"}):
            data = {"action": "delete_selected", "_selected_action": [obj.pk], **confirm}
            verdicts.check(f"POST {base} delete_selected", client.post(base, data), allowed={200, 302, 403})
        verdicts.check(f"POST {base}{obj.pk}/delete/", client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}),
                       allowed={200, 403})  # fmt: skip
    for event in {obj.event for obj in objects if hasattr(obj, "event")}:
        url = f"/admin/events/event/{event.pk}/change/"
        verdicts.check(f"GET {url}", client.get(url), allowed={200, 403})
    verdicts.assert_none(before)


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_never_finds_a_restricted_object_in_an_admin_list(who, world, db):
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    allowed = {302} if who == "anonymous" else {200, 403}
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for query in [{}, *({"q": word} for word in (*SECRET_WORDS, world.reference))]:
            verdicts.check(f"GET {url}?{urlencode(query)}", client.get(url, query), allowed=allowed)
        # Bulk delete by id: "delete_selected" on every restricted object of the model.
        if world.ids(model):
            data = {"action": "delete_selected", "_selected_action": world.ids(model), "post": "yes"}
            verdicts.check(f"POST {url} delete_selected", client.post(url, data), allowed=allowed | {302})
    verdicts.check("GET /admin/", client.get("/admin/"), allowed=allowed)
    verdicts.check("GET /admin/bin/", client.get("/admin/bin/"), allowed=allowed)
    for model, ids in world.secret_ids.items():
        for pk in sorted(ids)[:1]:
            for action in ("restore", "purge"):
                data = {"model": model._meta.label, "pk": pk, "action": action}
                verdicts.check(f"POST /admin/bin/ {data}", client.post("/admin/bin/", data), allowed=allowed)
    verdicts.assert_none(before)


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_never_gets_a_restricted_object_from_an_admin_autocomplete(who, world, db):
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    fields = admin_autocomplete_fields()
    assert len(fields) >= 30
    allowed = {302} if who == "anonymous" else {200, 403}
    for model, name in fields:
        remote = model._meta.get_field(name).related_model
        for term in ("", *SECRET_WORDS, world.reference, "Ochre"):
            params = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": name}
            response = client.get("/admin/autocomplete/", {**params, "term": term})
            label = f"autocomplete {model.__name__}.{name} {term!r}"
            verdicts.check(label, response, allowed=allowed)
            if response.status_code == 200:
                shown = {int(row["id"]) for row in json.loads(response.content)["results"]}
                if shown & set(world.ids(remote)):
                    verdicts.found.append(f"{label}: {sorted(shown & set(world.ids(remote)))}")
    verdicts.assert_none(before)


def admin_add_urls(world) -> list[str]:
    """Every admin add page, opened with each link pointing at a restricted object
    (``?case=…&person=…``: Django fills the form's initial values from the URL)."""
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        links = {
            field.name: world.ids(field.related_model)[0]
            for field in opts.concrete_fields
            if field.is_relation and world.ids(field.related_model)
        }
        urls.append(f"/admin/{opts.app_label}/{opts.model_name}/add/?{urlencode(links)}")
    return urls


@pytest.mark.parametrize("who", ATTACKERS)
def test_an_attacker_gets_nothing_from_an_admin_add_page_or_any_action(who, world, db):
    client, verdicts, before = web_client(world, who), Verdicts(world), snapshot()
    allowed = {302} if who == "anonymous" else {200, 403}
    for url in admin_add_urls(world):
        verdicts.check(f"GET {url}", client.get(url), allowed=allowed)
    for model, model_admin in admin.site._registry.items():
        if not world.ids(model):
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        names = {name for name, _func in admin.site.actions} | {
            action if isinstance(action, str) else action.__name__ for action in model_admin.actions or ()
        }
        for name in sorted(names):
            for confirm in ({}, {"post": "yes"}):
                data = {"action": name, "_selected_action": world.ids(model), **confirm}
                verdicts.check(f"POST {url} {name} {confirm}", client.post(url, data), allowed=allowed | {302})
    verdicts.assert_none(before)


def test_the_view_on_site_link_still_leads_the_team_to_the_case_page(world, db):
    """/admin/r/ answers 404 to attackers above; to the team it still redirects."""
    content_type = ContentType.objects.get_for_model(Case)
    response = web_client(world, "member").get(f"/admin/r/{content_type.pk}/{world.case.pk}/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{world.reference}/")
