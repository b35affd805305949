"""What the attack tests aim at: a restricted case with everything hanging off
it, the users who attack it, and every URL Vigil serves, read from the code
(the API routers, the dashboard URL patterns, ``admin.site._registry``), so a
new endpoint is attacked without anyone adding it here.

The restricted case's words: every text of it says "Tumanov" (or Туманов,
투마노프); every sensitive detail says "Ochre". A response that contains one of
them, to someone who may not see it, is a leak.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RegexPattern
from rest_framework.test import APIClient

from casework.models import Actor, CaseMember, Confidentiality, LegalArgument, LegalBasis, StatedRequest
from casework.services import request_update_status
from core.models import ApiToken
from core.querysets import visible
from core.roles import CASE_LEAD, DOMAIN_APPS, EDITOR, VIEWER
from events.models import EventActor, EventGovernment, EventPerson
from evidence.models import UploadSession
from evidence.services import Links, file_upload, image_redact
from tests import factories
from tests.evidence_support import PDF, png

SECRET_WORDS = ("Tumanov", "Туманов", "투마노프")
#: whole names and titles, caught even on a page that repeats a searched word
SECRET_NAMES = ("Tumanov Ivan", "Туманов Иван", "투마노프 이반", "Tumanov Pyotr", "brothers held near Kursk")
SENSITIVE_WORD = "Ochre"
MISSING_ID = 987654321


def guarded_models() -> list[type[models.Model]]:
    """Every model with an access rule (``visible_to``)."""
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if hasattr(model._default_manager.all(), "visible_to")
    ]


@dataclass
class World:
    users: dict
    case: object
    open_case: object
    #: the superuser's view of what the restricted case added: model → ids
    secret_ids: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    #: the SHA-256 of the restricted case's files: a hidden file's hash is a leak too
    hashes: tuple = ()

    @property
    def reference(self) -> str:
        return self.case.reference

    def ids(self, model) -> list[int]:
        return sorted(self.secret_ids.get(model, ()))

    def secrets(self) -> tuple[str, ...]:
        return (*SECRET_WORDS, *SECRET_NAMES, self.reference, *self.hashes)


def make_user(username: str, role: str | None = None, **kwargs):
    user = get_user_model().objects.create(username=username, is_staff=True, **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    _instance, user.api_token = ApiToken.objects.create(user=user, name="attacks")
    return user


def _superuser_view(sam) -> dict:
    return {
        model: set(visible(model._default_manager.all(), sam).values_list("pk", flat=True))
        for model in guarded_models()
    }


def build_world() -> World:
    """Users, an open case and another restricted case (the attackers' own), then
    the restricted case under attack with something in every model."""
    users = {
        "sam": make_user("sam", is_superuser=True),
        "lead": make_user("lena", CASE_LEAD),  # leads the case; case leads may see sensitive details
        "member": make_user("eddie", EDITOR),  # on the team, an editor without sensitive details
        "outsider": make_user("olivia", EDITOR),
        "viewer": make_user("victor", VIEWER),  # a viewer on another restricted case
    }
    open_case = factories.CaseFactory(title="Open case of the Kim family", lead=users["outsider"])
    other = factories.RestrictedCaseFactory(title="Another restricted case", lead=users["outsider"])
    CaseMember.objects.create(case=other, user=users["viewer"])
    government = factories.GovernmentFactory(name="Republic of Korea", country="KR")
    for case in (open_case, other):
        kim = factories.PersonFactory(display_name="Kim Chol", name_original="김철")
        factories.CaseSubjectFactory(case=case, person=kim)
        request = factories.StatedRequestFactory(case=case, person=kim, summary="Kim asks for a visit")
        involvement = factories.InvolvementFactory(case=case, government=government)
        factories.PositionStatementFactory(involvement=involvement, request=request)
        factories.CitationFactory(event=factories.EventFactory(case=case, title="Kim captured"))
        factories.CaseNoteFactory(case=case)
        factories.FollowUpFactory(case=case)
        file_upload(
            user=users["sam"], case=case, stream=io.BytesIO(png(colour=(case.pk % 250, 9, 9))), name="Kim photo.png",
            channel="admin",
        )  # fmt: skip
    # An event of the open case that names, beside Kim, his cellmate: a person held only in
    # the restricted case (linked by its team). Its pages show the event, never his name.
    open_event = factories.EventFactory(case=open_case, title="Kim and his cellmate moved")
    # Actors are public reference data, like governments: made before the case under attack,
    # which then links them everywhere it can (what ties them to it must not show).
    jang = Actor.objects.create(kind="individual", name="Jang Se-yul", name_original="장세율", role="head")
    basis = LegalBasis.objects.get_or_create(name="Non-refoulement")[0]
    before = _superuser_view(users["sam"])

    case = factories.RestrictedCaseFactory(
        title="Tumanov brothers held near Kursk",
        summary="The Tumanov brothers, captured together.",
        lead=users["lead"],
        confidentiality=Confidentiality.RESTRICTED,
        tags=["tumanov"],
    )
    CaseMember.objects.create(case=case, user=users["member"])
    ivan = factories.PersonFactory(
        display_name="Tumanov Ivan",
        name_original="Туманов Иван",
        description="Tumanov, the elder",
        identifying_features="Tumanov scar",
        unit="Tumanov unit",
        health_notes="Ochre: jaw injury",
        welfare_notes="Ochre: refuses food",
        father_first_name="Ochre-father",
        mother_maiden_name="Ochre-mother",
        person_to_inform="Ochre-sister in Seoul",
        risk_level="extreme",
        risk_reason="Ochre: execution if returned",
    )
    pyotr = factories.PersonFactory(display_name="Tumanov Pyotr", name_original="투마노프 표트르")
    for person in (ivan, pyotr):
        factories.CaseSubjectFactory(case=case, person=person)
    factories.PersonNameFactory(person=ivan, name="Tumanov Vanya", note="Tumanov in Ukrainian media")
    factories.PersonNameFactory(person=ivan, name="투마노프 이반", kind="original", language="ko")
    factories.PersonIdentifierFactory(person=ivan, kind="icrc", value="ICRC-TUMANOV-1", issuer="Tumanov ICRC")
    factories.PersonIdentifierFactory(person=ivan, kind="service_number", value="SN-OCHRE-77")
    factories.DetentionFactory(person=ivan, facility="Tumanov camp", conditions="Tumanov cell")
    request = factories.StatedRequestFactory(
        case=case, person=ivan, summary="Tumanov transfer", words="Tumanov: I want to go to Seoul."
    )
    update = request_update_status(
        request=request, status="under_verification", occurred_on=datetime.date(2025, 3, 4), note="Tumanov note"
    )
    involvement = factories.InvolvementFactory(case=case, government=government, notes="Tumanov involvement")
    position = factories.PositionStatementFactory(
        involvement=involvement, request=request, stance="conditional", condition="Tumanov condition", spoken_by=jang
    )
    intervention = factories.InterventionFactory(
        case=case, asked="Tumanov letter", request=request, government=government, addressed_to_actor=jang
    )
    LegalArgument.objects.create(
        case=case, basis=basis, request=request, intervention=intervention, argument="Tumanov argument", argued_by=jang
    )
    factories.CaseNoteFactory(case=case, body="Tumanov: called the embassy")
    factories.FollowUpFactory(case=case, title="Tumanov follow-up", notes="Tumanov ICRC visit")
    capture = factories.EventFactory(
        case=case, kind="capture", title="Tumanov captured", description="Tumanov description", place="Tumanov field"
    )
    EventPerson.objects.create(event=capture, person=ivan)
    EventGovernment.objects.create(event=capture, government=government)
    EventActor.objects.create(event=capture, actor=jang, part="met the Tumanov brothers")
    factories.CitationFactory(
        event=capture,
        source=factories.SourceFactory(title="Tumanov report", notes="Tumanov notes", author=jang),
        locator="Tumanov",
    )
    factories.CitationFactory(event=None, request=request, source=factories.SourceFactory(title="Tumanov video"))
    factories.CitationFactory(event=None, request_update=update, source=factories.SourceFactory(title="Tumanov letter"))
    factories.CitationFactory(event=None, position=position, source=factories.SourceFactory(title="Tumanov statement"))
    cross_link = EventPerson.objects.create(event=open_event, person=pyotr)
    # And a request of the open case made for him: its answers name the request, not him.
    cross_request = factories.StatedRequestFactory(
        case=open_case, person=pyotr, summary="Cellmate asks for a visit", in_its_case=False
    )
    incident = factories.EventFactory(case=case, kind="welfare_incident", title="Ochre welfare incident")
    # Translations of record text (core.TextTranslation): read only through their record.
    from core.services import translation_record

    translation_record(
        user=users["lead"], record=capture, field="description", language="ko", text="투마노프 형제 포획"
    )
    translation_record(user=users["lead"], record=incident, field="title", language="uk", text="Ochre інцидент")
    EventPerson.objects.create(event=incident, person=ivan)
    factories.CitationFactory(event=incident, source=factories.SourceFactory(title="Ochre medical report"))
    factories.EventFactory(case=case, kind="meeting", title="Ochre meeting", sensitivity="sensitive")
    factories.EventFactory(
        case=case,
        kind="observation",
        title="Tumanov portraits",
        interpretation="Tumanov loyalty or fear",
        interpretation_confidence="possible",
    )
    # Evidence: a photo on the capture (and its redacted copy), a sensitive scan, an upload under way.
    sam = users["sam"]
    photo = file_upload(
        user=sam, case=case, stream=io.BytesIO(png(colour=(201, 77, 3), size=(20, 20))),
        name="Tumanov brothers photo.png", channel="admin", links=Links(events=[capture], people=[ivan]),
        description="Tumanov photo",
    ).file  # fmt: skip
    redacted = image_redact(user=sam, original=photo, rectangles=[(0, 0, 4, 4)], note="Tumanov face", channel="admin")
    scan = file_upload(
        user=sam, case=case, stream=io.BytesIO(PDF + b"% Tumanov\n"), name="Tumanov Ochre medical scan.pdf",
        channel="admin", sensitive=True, links=Links(events=[incident]),
    ).file  # fmt: skip
    UploadSession.objects.create(user=users["lead"], case=case, name="Tumanov video.mp4", size=1000)

    after = _superuser_view(users["sam"])
    after[EventPerson].discard(cross_link.pk)  # the open event's link is visible; its person is not
    after[StatedRequest].discard(cross_request.pk)
    secret_ids = {model: after[model] - before[model] for model in after if after[model] - before[model]}
    return World(
        users=users,
        case=case,
        open_case=open_case,
        secret_ids=secret_ids,
        objects={"ivan": ivan, "pyotr": pyotr, "request": request, "photo": photo, "scan": scan},
        hashes=tuple(item.blob.sha256 for item in (photo, redacted, scan)),
    )


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """Built once for a module, rolled back after it; each test runs in a savepoint of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def api_client(world, who: str) -> APIClient:
    client = APIClient()
    if who != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.users[who].api_token}")
    return client


def web_client(world, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def snapshot() -> dict:
    """Every row of every domain model (and the view log): to show nothing changed."""
    rows = {}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            found = model._base_manager.order_by("pk")
            if model._meta.label == "casework.CaseView":
                # An attacker's views of their own restricted case are logged, as they should be;
                # a view of the case under attack would be a leak.
                found = found.filter(case__title__contains=SECRET_WORDS[0])
            rows[model._meta.label] = list(found.values())
    return rows


# ------------------------------------------------------------------ the URLs


def _text(pattern) -> str:
    """A URL pattern as a template: ``people/{pk}/``."""
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$")
        return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text).replace("\\", "")
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern))


def walk(patterns, prefix: str = ""):
    """(url template, URLPattern) for every pattern under ``patterns``."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + _text(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _text(entry.pattern), entry


def placeholders(template: str) -> list[str]:
    return re.findall(r"{(\w+)}", template)


@dataclass
class ApiRoute:
    template: str
    view: type
    methods: list[str]

    @property
    def model(self):
        return self.view.queryset.model

    @property
    def is_list(self) -> bool:
        return not placeholders(self.template)


def api_routes() -> list[ApiRoute]:
    """Every API route that reads or writes rows (a view with a ``queryset``)."""
    from config import api_urls

    routes = []
    for template, pattern in walk(api_urls.urlpatterns, "/api/v1/"):
        view = getattr(pattern.callback, "cls", None)
        if view is None or getattr(view, "queryset", None) is None:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            methods = sorted(method.upper() for method in actions)
        else:
            methods = sorted(m.upper() for m in view.http_method_names if hasattr(view, m) and m != "options")
        routes.append(ApiRoute(template, view, methods))
    return routes


OPERATIONS_ROUTES = ("/healthz", "/readyz", "/metrics")


def dashboard_routes() -> list[tuple[str, object]]:
    """Every dashboard page and action: the site's URLs less admin, API, sign-in, health and metrics
    (operations endpoints: attacked in test_observability.py)."""
    from config import urls

    skip = ("/admin/", "/api/", "/accounts/", *OPERATIONS_ROUTES)
    return [(template, pattern) for template, pattern in walk(urls.urlpatterns, "/") if not template.startswith(skip)]


def admin_autocomplete_fields() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every autocomplete field of every ModelAdmin and inline."""
    found = []
    for model, model_admin in admin.site._registry.items():
        found += [(model, name) for name in model_admin.autocomplete_fields]
        for inline in model_admin.inlines:
            found += [(inline.model, name) for name in inline.autocomplete_fields]
    return sorted(set(found), key=lambda pair: (pair[0]._meta.label, pair[1]))
