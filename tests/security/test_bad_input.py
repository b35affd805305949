"""Hostile and unusual input: shown escaped, harmless in search, every script kept exactly."""

import pytest

from casework.models import Case
from people.models import Person
from tests import factories

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQLISH = "'; DROP TABLE casework_case; --"
SCRIPTS = ["리정철", "Ри Чон Чхоль", "عبد الله", "דוד כהן", "Nguyễn Văn Ánh", "王小明"]


@pytest.fixture
def hostile(open_case):
    person = factories.PersonFactory(display_name=XSS, description=XSS)
    factories.PersonNameFactory(person=person, name=f"{XSS} alias")
    factories.CaseSubjectFactory(case=open_case, person=person)
    open_case.summary = XSS
    open_case.title = f"Case {XSS}"
    open_case.save()
    event = factories.EventFactory(case=open_case, title=XSS, description=XSS)
    factories.CitationFactory(event=event, source=factories.SourceFactory(title=XSS), locator=XSS)
    return open_case


@pytest.mark.parametrize(
    "url",
    [
        "/admin/casework/case/",
        "/admin/casework/case/{case}/change/",
        "/admin/casework/case/{case}/history/",
        "/admin/people/person/",
        "/admin/people/person/{person}/change/",
        "/admin/events/event/",
        "/admin/events/source/",
        "/admin/events/citation/",
    ],
)
def test_stored_script_is_shown_escaped_in_the_admin(url, hostile, client, sam):
    client.force_login(sam)
    person = Person.objects.get()
    page = client.get(url.format(case=hostile.pk, person=person.pk)).content.decode()
    assert "<script>alert" not in page
    assert "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert" in page


@pytest.mark.parametrize("query", [SQLISH, "%", "_", "\\", "' OR '1'='1", "Ri\x00Jong"])
def test_sql_like_search_strings_are_harmless(query, open_case, client, sam):
    client.force_login(sam)
    expected = 400 if "\x00" in query else 200  # a NUL byte: refused before any view (test_hostile_requests.py)
    for url in ("/admin/casework/case/", "/admin/people/person/", "/admin/events/event/"):
        assert client.get(url, {"q": query}).status_code == expected
    assert Person.objects.search_names(query).count() == 0
    assert Case.objects.filter(pk=open_case.pk).exists()


@pytest.mark.parametrize("name", SCRIPTS)
def test_names_in_every_script_round_trip_through_the_admin_exactly(name, client, sam):
    client.force_login(sam)
    response = client.post(
        "/admin/people/person/add/",
        {
            "display_name": f"Person {len(name)}",
            "name_original": name,
            "sex": "unknown",
            "birth_date_precision": "day",
            "status": "unknown",
            "risk_level": "unknown",
            "names-TOTAL_FORMS": "1",
            "names-INITIAL_FORMS": "0",
            "names-0-name": name,
            "names-0-kind": "original",
            **{f"{p}-{k}": "0" for p in ("identifiers", "detentions") for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert person.name_original == name
    assert person.names.get().name == name
    assert name in client.get(f"/admin/people/person/{person.pk}/change/").content.decode()
    assert list(Person.objects.search_names(name)) == [person]
