"""History applies the sensitive-field rule (issue 10, finding 5): an editor
without ``people.view_sensitive`` opening a person's History reads neither the
old nor the new health notes, risk level or family details, nor the values an
identifier had while it was a service number. Sam, a superuser, reads them all.
"""

from __future__ import annotations

from people.models import Person, PersonIdentifier
from tests import factories


def history_page(client, user, obj) -> str:
    client.force_login(user)
    opts = obj._meta
    response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_persons_history_hides_sensitive_changes_from_an_editor_without_the_permission(
    restricted_case, bob, sam, client
):
    person = factories.PersonFactory(display_name="Ri", health_notes="Ochre jaw", risk_level="medium")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    Person.objects.filter(pk=person.pk).update(health_notes="Ochre fever", risk_level="extreme", rank="sergeant")
    page = history_page(client, bob, person)
    assert "sergeant" in page  # what he may read is there
    for hidden in ("Ochre", "health_notes", "risk_level", "extreme", "medium"):
        assert hidden not in page, hidden
    page = history_page(client, sam, person)
    assert "Ochre fever" in page and "extreme" in page


def test_an_identifier_that_was_a_service_number_keeps_its_old_value_hidden(restricted_case, bob, sam, client):
    person = factories.PersonFactory(display_name="Ri")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    identifier = factories.PersonIdentifierFactory(person=person, kind="service_number", value="SN-OCHRE-1")
    PersonIdentifier.objects.filter(pk=identifier.pk).update(kind="icrc", value="ICRC-9")
    page = history_page(client, bob, identifier)
    assert "ICRC-9" not in page or "SN-OCHRE" not in page
    assert "SN-OCHRE" not in page and "service_number" not in page
    assert "SN-OCHRE-1" in history_page(client, sam, identifier)


def test_derived_columns_never_show_in_history(restricted_case, sam, client):
    person = factories.PersonFactory(display_name="Ri Jong Chol")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    person.display_name = "Lee Jung-chul"
    person.save()
    assert "name_keys" not in history_page(client, sam, person)
