"""Every API resource, with how to make one of its objects in a case, a valid
body to create one there, and a change to apply: the table the generic API
tests (access, CRUD, query counts) run over."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from casework.services import request_update_status
from tests import factories


def _person_in(case):
    return factories.CaseSubjectFactory(case=case).person


def _request_in(case):
    return factories.StatedRequestFactory(case=case, person=_person_in(case))


def _update_in(case):
    return request_update_status(
        request=_request_in(case), status="under_verification", occurred_on=datetime.date(2025, 3, 4)
    )


def _source_in(case):
    return factories.CitationFactory(event=factories.EventFactory(case=case)).source


@dataclass
class Resource:
    path: str
    #: an object of this resource belonging to ``case`` (so invisible when the case is)
    make: Callable
    #: a valid creation body whose links point into ``case``
    payload: Callable
    #: a valid PATCH body, and the field to check afterwards
    change: dict
    #: whether the creation body links to something in a case (the "link target" test)
    links_into_case: bool = True
    #: only added, never changed nor deleted (request updates, positions)
    append_only: bool = False
    #: an object that can be deleted (nothing PROTECTs it)
    make_deletable: Callable | None = None
    #: public reference data: visible to every permitted user
    public: bool = False
    extra: dict = field(default_factory=dict)


RESOURCES = [
    Resource(
        "people",
        make=_person_in,
        payload=lambda case: {"display_name": "Ri Jong Chol", "nationality": "KP", "status": "in_detention"},
        change={"identifying_features": "healed jaw injury with deformity"},
        links_into_case=False,
    ),
    Resource(
        "person-names",
        make=lambda case: factories.PersonNameFactory(person=_person_in(case)),
        payload=lambda case: {"person": _person_in(case).pk, "name": "리정철", "kind": "original", "language": "ko"},
        change={"note": "Ukrainian media"},
    ),
    Resource(
        "person-identifiers",
        make=lambda case: factories.PersonIdentifierFactory(person=_person_in(case)),
        payload=lambda case: {"person": _person_in(case).pk, "kind": "service_number", "value": "SN-1"},
        change={"issuer": "Korean People's Army"},
    ),
    Resource(
        "detentions",
        make=lambda case: factories.DetentionFactory(person=_person_in(case)),
        payload=lambda case: {
            "person": _person_in(case).pk,
            "facility": "POW camp",
            "country": "UA",
            "started_on": "2025-01-09",
            "started_on_precision": "day",
        },
        change={"conditions": "shared cell"},
    ),
    Resource(
        "cases",
        make=lambda case: case,
        payload=lambda case: {"title": "Two soldiers in Kyiv", "opened_on": "2025-01-15"},
        change={"priority": "urgent"},
        links_into_case=False,
    ),
    Resource(
        "case-subjects",
        make=lambda case: factories.CaseSubjectFactory(case=case),
        payload=lambda case: {
            "case": case.pk,
            "person": factories.PersonFactory(created_by=case.lead).pk,
            "role": "detainee",
        },
        change={"role": "witness"},
    ),
    Resource(
        "requests",
        make=_request_in,
        payload=lambda case: {
            "case": case.pk,
            "person": _person_in(case).pk,
            "category": "transfer",
            "summary": "Transfer to South Korea",
            "destination_country": "KR",
            "first_stated_on": "2025-02-01",
            "first_stated_on_precision": "month",
        },
        change={"words": "I want to go to South Korea."},
    ),
    Resource(
        "request-updates",
        make=_update_in,
        payload=lambda case: {"request": _request_in(case).pk, "status": "stalled", "occurred_on": "2025-10-01"},
        change={"note": "changed"},
        append_only=True,
    ),
    Resource(
        "governments",
        make=lambda case: factories.GovernmentFactory(),
        payload=lambda case: {"name": "Republic of Korea", "kind": "state", "country": "KR"},
        change={"kind": "de_facto"},
        links_into_case=False,
        public=True,
    ),
    Resource(
        "actors",
        make=lambda case: factories.ActorFactory(),
        payload=lambda case: {"kind": "individual", "name": "Jang Se-yul", "name_original": "장세율"},
        change={"role": "head of a defectors' group"},
        links_into_case=False,
        public=True,
    ),
    Resource(
        "legal-arguments",
        make=lambda case: factories.LegalArgumentFactory(case=case, request=_request_in(case)),
        payload=lambda case: {
            "case": case.pk,
            "request": _request_in(case).pk,
            "basis": factories.LegalBasisFactory().pk,
            "argument": "Asylum would align with South Korea's humanitarian obligations.",
        },
        change={"argument": "Returned, they could face execution."},
    ),
    Resource(
        "involvements",
        make=lambda case: factories.InvolvementFactory(case=case),
        payload=lambda case: {
            "case": case.pk,
            "government": factories.GovernmentFactory(country="KR").pk,
            "role": "receiving_state",
        },
        change={"notes": "Seoul will accept them once verified"},
    ),
    Resource(
        "positions",
        make=lambda case: factories.PositionStatementFactory(involvement__case=case),
        payload=lambda case: {
            "involvement": factories.InvolvementFactory(case=case).pk,
            "stance": "conditional",
            "condition": "Will accept them if their intentions are verified.",
            "stated_on": "2025-03-01",
            "stated_on_precision": "month",
        },
        change={"stance": "opposes"},
        append_only=True,
    ),
    Resource(
        "interventions",
        make=lambda case: factories.InterventionFactory(case=case),
        payload=lambda case: {"case": case.pk, "kind": "letter", "occurred_on": "2025-04-02", "asked": "Transfer"},
        change={"status": "done"},
    ),
    Resource(
        "notes",
        make=lambda case: factories.CaseNoteFactory(case=case),
        payload=lambda case: {"case": case.pk, "body": "Called the embassy."},
        change={"body": "Called the embassy again."},
    ),
    Resource(
        "follow-ups",
        make=lambda case: factories.FollowUpFactory(case=case),
        payload=lambda case: {"case": case.pk, "title": "Ask for an ICRC visit", "due_on": "2025-05-01"},
        change={"notes": "ICRC answered"},
    ),
    Resource(
        "events",
        make=lambda case: factories.EventFactory(case=case),
        payload=lambda case: {
            "case": case.pk,
            "kind": "capture",
            "title": "Captured in Kursk region",
            "occurred_on": "2025-01-09",
            "sources": [{"source": factories.SourceFactory().pk, "locator": "para. 2"}],
        },
        change={"place": "Kursk region"},
    ),
    Resource(
        "sources",
        make=_source_in,
        payload=lambda case: {
            "kind": "news_report",
            "title": "Seoul ready to accept",
            "source_url": "https://example.org/a",
        },
        change={"reliability": "B"},
        links_into_case=False,
        make_deletable=lambda case: factories.SourceFactory(),
    ),
    Resource(
        "citations",
        make=lambda case: factories.CitationFactory(event=factories.EventFactory(case=case)),
        payload=lambda case: {
            "source": factories.SourceFactory().pk,
            "event": factories.EventFactory(case=case).pk,
            "confidence": "confirmed",
        },
        change={"locator": "page 3"},
    ),
]

BY_PATH = {resource.path: resource for resource in RESOURCES}


def url(resource: Resource, obj=None) -> str:
    base = f"/api/v1/{resource.path}/"
    return base if obj is None else f"{base}{obj.pk}/"
