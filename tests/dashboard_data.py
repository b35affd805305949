"""Rows and permissions for the dashboard's tests: the seed article's case in small, and ``grant``."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.db.models import Q

from casework import models as casework
from casework.services import position_record, request_update_status
from core.roles import DOMAIN_APPS
from events import models as events
from events.services import CitedSource, event_record
from people import models as people
from tests import factories


def grant(user, *actions: str, apps=DOMAIN_APPS):
    """Give ``user`` the model permissions for ``actions`` ("add", "change", "view") on every
    model of ``apps``, or exact permissions given as "app.codename"; hand back a fresh
    instance (permissions are cached on the old one)."""
    from django.apps import apps as registry

    wanted = Q(pk__in=[])
    for action in actions:
        if "." in action:
            app_label, codename = action.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
            continue
        for app_label in apps:
            for model in registry.get_app_config(app_label).get_models():
                wanted |= Q(content_type__app_label=app_label, codename=f"{action}_{model._meta.model_name}")
    user.user_permissions.add(*Permission.objects.filter(wanted))
    return type(user).objects.get(pk=user.pk)


def build_kursk_case(*, lead=None, title="Two North Korean POWs held in Ukraine") -> casework.Case:
    """The seed article's case, recorded through the same services the dashboard uses."""
    case = factories.CaseFactory(
        title=title,
        summary="Two North Korean soldiers captured in Kursk ask to be transferred to South Korea.",
        status=casework.CaseStatus.ACTIVE,
        priority=casework.Priority.URGENT,
        lead=lead,
        opened_on=datetime.date(2025, 1, 11),
        tags=["pow", "north-korea"],
    )
    ukraine = factories.GovernmentFactory(name="Ukraine", country="UA")
    north_korea = factories.GovernmentFactory(name="North Korea", country="KP")
    south_korea = factories.GovernmentFactory(name="South Korea", country="KR")
    russia = factories.GovernmentFactory(name="Russia", country="RU")
    detaining = factories.InvolvementFactory(
        case=case, government=ukraine, role=casework.GovernmentRole.DETAINING_STATE
    )
    factories.InvolvementFactory(case=case, government=north_korea, role=casework.GovernmentRole.STATE_OF_NATIONALITY)
    receiving = factories.InvolvementFactory(
        case=case, government=south_korea, role=casework.GovernmentRole.RECEIVING_STATE
    )
    factories.InvolvementFactory(case=case, government=russia, role=casework.GovernmentRole.BELLIGERENT_ALLY)

    ri = factories.PersonFactory(
        display_name="Ri Jong Chol",
        name_original="리정철",
        legal_status=people.LegalStatus.PRISONER_OF_WAR,
        age_estimate="in his 20s",
        risk_level=people.RiskLevel.EXTREME,
        risk_reason="Execution or harsh punishment if returned to North Korea.",
        identifying_features="Healed jaw injury with visible deformity.",
        health_notes="Attempted self-harm.",
    )
    factories.PersonNameFactory(
        person=ri, name="Ри Чон Чхоль", kind=people.NameKind.TRANSLITERATION, language="ru-Cyrl"
    )
    factories.PersonNameFactory(
        person=ri, name="Lee Jung-chul", kind=people.NameKind.TRANSLITERATION, language="ko-Latn"
    )
    kim = factories.PersonFactory(
        display_name="Kim Song Il", name_original="김성일", legal_status=people.LegalStatus.PRISONER_OF_WAR
    )
    for person in (ri, kim):
        factories.CaseSubjectFactory(case=case, person=person, role=casework.SubjectRole.DETAINEE)
        factories.DetentionFactory(
            person=person, facility="Detention facility", locality="near Kyiv", country="UA", authority=ukraine
        )

    article = factories.SourceFactory(
        title="North Korean POWs plead to be sent to South Korea",
        publisher="News agency",
        url="https://news.example.org/nk-pows",
        reliability=events.Reliability.B,
    )
    transfer = factories.StatedRequestFactory(
        case=case,
        person=ri,
        category=casework.RequestCategory.TRANSFER,
        summary="Transfer to South Korea",
        destination_country="KR",
        addressed_to=ukraine,
        first_stated_on=datetime.date(2025, 2, 1),
        first_stated_on_precision="month",
    )
    factories.StatedRequestFactory(
        case=case, person=kim, category=casework.RequestCategory.MEDICINE, summary="Medicine"
    )
    request_update_status(
        request=transfer,
        status=casework.RequestStatus.STALLED,
        occurred_on=datetime.date(2025, 3, 1),
        occurred_on_precision="month",
        note="No official agreement reached.",
        source=article,
    )
    position_record(
        involvement=receiving,
        request=transfer,
        stance=casework.Stance.CONDITIONAL,
        stated_on=datetime.date(2025, 3, 1),
        stated_on_precision="month",
        condition="Ready to accept them if their intentions are verified.",
        source=article,
    )
    position_record(
        involvement=detaining, stance=casework.Stance.ASKS_FOR_INFORMATION, stated_on=datetime.date(2025, 2, 10)
    )
    event_record(
        user=None,
        case=case,
        kind=events.EventKind.CAPTURE,
        title="Captured in the Kursk region",
        occurred_on=datetime.date(2025, 1, 1),
        occurred_on_precision="month",
        people=[ri, kim],
        governments=[ukraine],
        sources=[CitedSource(article, "Zelenskyy revealed", events.Confidence.CONFIRMED)],
    )
    event_record(
        user=None,
        case=case,
        kind=events.EventKind.WELFARE_INCIDENT,
        title="Both attempted self-harm",
        occurred_on=datetime.date(2025, 1, 1),
        occurred_on_precision="quarter",
        people=[ri, kim],
        sources=[CitedSource(article)],
    )
    return case
