"""Saved partner profiles in the dashboard and the admin: data managers list, define, change
and remove them (checked against core/exposure/ as the API checks them), and choose one
on the export page."""

from __future__ import annotations

import json

import pytest

from core.access import sees_sensitive
from exchange.models import ExportProfile
from tests import factories


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_a_data_manager_defines_changes_and_removes_a_partner_profile_on_its_page(client, dana):
    client.force_login(dana)
    page = client.get("/exports/profiles/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="fields_people"' in text and 'value="display_name"' in text
    assert 'value="health_notes"' not in text or sees_sensitive(dana), "sensitive fields only to who reads them"

    response = client.post(
        "/exports/profiles/",
        {"name": "ICRC", "description": "Delegation in Kyiv", "fields_people": ["display_name", "nationality"],
         "fields_detentions": ["person", "region", "country"]},
    )  # fmt: skip
    assert response.status_code == 302
    profile = ExportProfile.objects.get(name="ICRC")
    assert profile.fields == {"people": ["display_name", "nationality"], "detentions": ["person", "region", "country"]}
    assert profile.created_by == dana
    assert "ICRC" in client.get("/exports/profiles/").content.decode()
    assert 'value="ICRC"' in client.get("/exports/").content.decode(), "chosen on the export page"

    edit = client.get(f"/exports/profiles/{profile.pk}/").content.decode()
    assert 'value="nationality" checked' in edit or 'checked value="nationality"' in edit or "nationality" in edit
    response = client.post(f"/exports/profiles/{profile.pk}/", {"name": "ICRC Kyiv", "fields_cases": ["reference"]})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.fields) == ("ICRC Kyiv", {"cases": ["reference"]})

    response = client.post(f"/exports/profiles/{profile.pk}/", {"delete": "1"})
    assert response.status_code == 302 and not ExportProfile.objects.exists()


def test_a_profile_page_refuses_what_may_not_leave_field_by_field(client, dana):
    client.force_login(dana)
    response = client.post("/exports/profiles/", {"name": "public", "fields_people": ["display_name"]})
    assert response.status_code == 400 and "A name of its own" in response.content.decode()
    response = client.post("/exports/profiles/", {"name": "Leaky", "fields_people": ["password_hash"]})
    assert response.status_code == 400 and "password_hash" in response.content.decode()
    response = client.post("/exports/profiles/", {"name": "Empty"})
    assert response.status_code == 400 and "An object of tables" in response.content.decode()
    assert not ExportProfile.objects.exists()


def test_only_data_managers_open_the_profile_pages(client, alice, dana):
    profile = ExportProfile.objects.create(name="Partner A", fields={"cases": ["reference"]}, created_by=dana)
    assert client.get("/exports/profiles/").status_code == 302, "signed out: to the sign-in page"
    client.force_login(alice)
    for url in ("/exports/profiles/", f"/exports/profiles/{profile.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/exports/profiles/{profile.pk}/", {"delete": "1"}).status_code == 403
    assert ExportProfile.objects.filter(pk=profile.pk).exists()


def test_the_admin_lists_and_checks_export_profiles_as_the_service_does(client, dana, alice):
    client.force_login(dana)
    dana.is_staff = True
    dana.save()
    response = client.post(
        "/admin/exchange/exportprofile/add/",
        {"name": "UN WGAD", "description": "", "fields": json.dumps({"people": ["display_name", "nope"]})},
    )
    assert response.status_code == 200 and "Not exportable: nope" in response.content.decode()
    response = client.post(
        "/admin/exchange/exportprofile/add/",
        {"name": "UN WGAD", "description": "", "fields": json.dumps({"people": ["display_name"]})},
    )
    assert response.status_code == 302
    profile = ExportProfile.objects.get(name="UN WGAD")
    assert profile.created_by == dana
    assert "UN WGAD" in client.get("/admin/exchange/exportprofile/").content.decode()
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/exchange/exportprofile/").status_code == 403


def test_an_export_with_a_saved_profile_carries_only_its_fields(client, dana):
    factories.CaseFactory(title="Open case", lead=dana)
    ExportProfile.objects.create(name="Cases only", fields={"cases": ["reference", "title"]}, created_by=dana)
    client.force_login(dana)
    response = client.post("/exports/", {"profile": "Cases only", "format": "json", "layout": "workbook"})
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert list(data) == ["cases"] and data["cases"][0] == {"reference": data["cases"][0]["reference"],
                                                            "title": "Open case"}  # fmt: skip
