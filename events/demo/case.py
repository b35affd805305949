"""load_demo: the seed article's case recorded whole (the facts, in events/demo/__init__.py)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from casework import services
from casework.models import (
    Case,
    CaseNote,
    CaseStatus,
    CaseSubject,
    FollowUp,
    FreelyExpressed,
    GovernmentRole,
    Intervention,
    InterventionKind,
    Involvement,
    Priority,
    RequestCategory,
    RequestChannel,
    RequestStatus,
    Stance,
    StatedRequest,
)
from core.dates import DatePrecision as P
from core.services import translation_record
from events.demo.actors import _actors_arguments_observations
from events.demo.parts import (
    DEMO_TITLE,
    FEBRUARY_2025,
    JANUARY_2025,
    Q4_2024,
    THIS_WEEK,
    _governments,
    _person,
    _sources,
    demo_loaded,
)
from events.models import (
    Confidence,
    EventKind,
    Sensitivity,
)
from events.services import CitedSource, event_record
from people.models import (
    Detention,
)


@transaction.atomic
def load_demo(*, lead=None) -> Case | None:
    """Record the seed article's case. Returns None when it is already there
    (running twice changes nothing)."""
    existing = Case.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        _actors_arguments_observations(existing, lead=lead)
        demo_loaded.send(sender=Case, case=existing, lead=lead)
        return None
    today = datetime.date.today()
    governments = _governments()
    ukraine, north_korea, south_korea, russia = (governments[c] for c in ("UA", "KP", "KR", "RU"))
    sources = _sources()

    case = Case.objects.create(
        title=DEMO_TITLE,
        summary=(
            "Two North Korean soldiers in their 20s, captured by Ukrainian forces in Russia's Kursk region and "
            "held near Kyiv, ask to be transferred to South Korea. In February only one of them wanted to go; "
            "now both do. South Korea has told Ukraine it will accept them if their intentions are verified, "
            "but the transfer is stalled with no official agreement. Returned to North Korea, they could face "
            "execution or harsh punishment."
        ),
        status=CaseStatus.STALLED,
        priority=Priority.URGENT,
        lead=lead,
        opened_on=datetime.date(2025, 1, 13),
        next_review_on=today + datetime.timedelta(days=7),
        tags=["prisoners of war", "North Korea", "transfer"],
    )

    ri = _person(
        display_name="Ri Jong Chol",
        original="리정철",
        names=[
            ("Ri Jong Chol", "ko-Latn-KP", "North Korean romanization"),
            ("Lee Jung-chul", "ko-Latn", "South Korean press"),
            ("Ри Чон Чхоль", "ru-Cyrl", "Ukrainian and Russian media"),
        ],
        identifying_features="Healed jaw injury with visible deformity (photos released by Jang Se-yul).",
        health="Jaw injury sustained before capture, healed with visible deformity. Emotional distress; "
        "attempted self-harm (Ukrainian officials).",
        depends_on=north_korea,
    )
    paek = _person(
        display_name="Paek Kwang Hyok",
        original="백광혁",
        names=[
            ("Paek Kwang Hyok", "ko-Latn-KP", "North Korean romanization"),
            ("Baek Gwang-hyeok", "ko-Latn", "South Korean press"),
            ("Пэк Кван Хёк", "ru-Cyrl", "Ukrainian and Russian media"),
        ],
        health="Emotional distress; attempted self-harm (Ukrainian officials).",
        depends_on=north_korea,
    )
    for person in (ri, paek):
        CaseSubject.objects.create(case=case, person=person)
        Detention.objects.create(
            person=person,
            facility="Prisoner-of-war detention facility",
            locality="near Kyiv",
            region="Kyiv Oblast",
            country="UA",
            authority=ukraine,
            started_on=JANUARY_2025,
            started_on_precision=P.MONTH,
            conditions="Clean and fed according to photos; emotional distress reported.",
        )

    involvements = {
        government: Involvement.objects.create(case=case, government=government, role=role, notes=notes)
        for government, role, notes in (
            (ukraine, GovernmentRole.DETAINING_STATE, "Holds both men near Kyiv."),
            (north_korea, GovernmentRole.STATE_OF_NATIONALITY, "Sent about 15,000 troops to support Russia."),
            (south_korea, GovernmentRole.RECEIVING_STATE, "Ready to accept them if their intentions are verified."),
            (russia, GovernmentRole.BELLIGERENT_ALLY, "The men fought alongside Russian troops."),
        )
    }

    # What each asked for, and how each request moved.
    ri_transfer = StatedRequest.objects.create(
        case=case,
        person=ri,
        category=RequestCategory.TRANSFER,
        summary="Transfer to South Korea",
        words="Expressed interest in resettling in South Korea.",
        destination_country="KR",
        addressed_to=ukraine,
        first_stated_on=FEBRUARY_2025,
        first_stated_on_precision=P.MONTH,
        freely_expressed=FreelyExpressed.UNKNOWN,
    )
    paek_transfer = StatedRequest.objects.create(
        case=case,
        person=paek,
        category=RequestCategory.TRANSFER,
        summary="Transfer to South Korea",
        words="Tearfully begged to go to South Korea.",
        destination_country="KR",
        addressed_to=ukraine,
        first_stated_on=THIS_WEEK,
        first_stated_on_precision=P.QUARTER,
        channel=RequestChannel.MEETING,
        freely_expressed=FreelyExpressed.UNKNOWN,
    )
    services.request_update_status(
        request=ri_transfer,
        status=RequestStatus.STATED,
        occurred_on=THIS_WEEK,
        occurred_on_precision=P.QUARTER,
        note="Reaffirmed at the meeting with a South Korean documentary producer: in February only he "
        "wanted to go; now both do, tearfully.",
        source=sources["producer"],
    )
    for request in (ri_transfer, paek_transfer):
        services.request_update_status(
            request=request,
            status=RequestStatus.STALLED,
            occurred_on=THIS_WEEK,
            occurred_on_precision=P.QUARTER,
            note="South Korea will accept them once their intentions are verified; no official agreement reached.",
            source=sources["article"],
        )
    for person in (ri, paek):
        for category, summary in (
            (RequestCategory.MEDICINE, "Medicine"),
            (RequestCategory.CLOTHING, "Warm clothes"),
            (RequestCategory.TOBACCO, "Cigarettes"),
            (RequestCategory.READING, "Books"),
        ):
            StatedRequest.objects.create(
                case=case,
                person=person,
                category=category,
                summary=summary,
                first_stated_on=THIS_WEEK,
                first_stated_on_precision=P.QUARTER,
                channel=RequestChannel.MEETING,
            )

    # Governments' positions.
    for request in (ri_transfer, paek_transfer):
        statement = services.position_record(
            involvement=involvements[south_korea],
            request=request,
            stance=Stance.CONDITIONAL,
            stated_on=THIS_WEEK,
            stated_on_precision=P.QUARTER,
            condition="Will accept them if their intentions are verified.",
            condition_request=request,
            statement_original="한국 정부는 포로들의 의도가 확인되면 이들을 받아들일 준비가 되어 있다고 우크라이나 측에 "
            "전달했다.",
            statement_language="ko",
            source=sources["article"],
        )
        # The statement in the government's own words, and its English translation beside it.
        translation_record(
            user=None,
            record=statement,
            field="statement_original",
            language="en",
            text="South Korea has informed Ukraine it is ready to accept the captives if their intentions are verified.",
            kind="human",
            translated_by="Yonhap (English edition)",
        )
    services.position_record(
        involvement=involvements[ukraine],
        stance=Stance.UNDER_CONSIDERATION,
        stated_on=THIS_WEEK,
        stated_on_precision=P.QUARTER,
        condition="Weighing legal and political consequences; no official agreement on the transfer.",
        source=sources["article"],
    )

    # The timeline.
    both = (ri, paek)
    for fields, cited in (
        (
            dict(
                kind=EventKind.OTHER,
                title="North Korea sends about 15,000 troops to support Russia",
                occurred_on=Q4_2024,
                occurred_on_precision=P.QUARTER,
                description="Since late 2024: Pyongyang's expanding military role in Russia's war.",
                governments=(north_korea, russia),
            ),
            [CitedSource(sources["article"], confidence=Confidence.PROBABLE)],
        ),
        (
            dict(
                kind=EventKind.CAPTURE,
                title="Captured by Ukrainian forces in Russia's Kursk region",
                occurred_on=JANUARY_2025,
                occurred_on_precision=P.MONTH,
                description="They had reportedly been fighting alongside Russian troops.",
                place="Kursk region",
                country="RU",
                people=both,
                governments=(ukraine,),
            ),
            [CitedSource(sources["zelenskyy"], confidence=Confidence.CONFIRMED)],
        ),
        (
            dict(
                kind=EventKind.GOVERNMENT_STATEMENT,
                title="President Zelenskyy reveals the capture of two North Korean soldiers",
                occurred_on=JANUARY_2025,
                occurred_on_precision=P.MONTH,
                description="The prisoners first gain international notice.",
                people=both,
                governments=(ukraine,),
            ),
            [CitedSource(sources["zelenskyy"], confidence=Confidence.CONFIRMED)],
        ),
        (
            dict(
                kind=EventKind.DETAINEE_STATEMENT,
                title="Only one of the two expresses interest in resettling in South Korea",
                occurred_on=FEBRUARY_2025,
                occurred_on_precision=P.MONTH,
                people=(ri,),
            ),
            [CitedSource(sources["jang"], locator="a change from February", confidence=Confidence.PROBABLE)],
        ),
        (
            dict(
                kind=EventKind.INTERVIEW,
                title="Both tearfully beg a South Korean documentary producer to be sent to South Korea",
                occurred_on=THIS_WEEK,
                occurred_on_precision=P.QUARTER,
                description="Meeting at a detention facility near Kyiv. Hand-drawn portraits of Kim Jong-un hang "
                "in their quarters.",
                place="detention facility near Kyiv",
                country="UA",
                people=both,
            ),
            [
                CitedSource(sources["producer"], confidence=Confidence.PROBABLE),
                CitedSource(
                    sources["jang"], locator="according to activist Jang Se-yul", confidence=Confidence.PROBABLE
                ),
            ],
        ),
        (
            dict(
                kind=EventKind.REQUEST_MADE,
                title="They ask for medicine, warm clothes, cigarettes and books",
                occurred_on=THIS_WEEK,
                occurred_on_precision=P.QUARTER,
                people=both,
            ),
            [CitedSource(sources["jang"], confidence=Confidence.PROBABLE)],
        ),
        (
            dict(
                kind=EventKind.MEDICAL,
                title="Photos show a healed jaw injury with visible deformity",
                occurred_on=THIS_WEEK,
                occurred_on_precision=P.QUARTER,
                description="Both appear clean and fed but reportedly suffer emotional distress.",
                people=(ri,),
                sensitivity=Sensitivity.SENSITIVE,
            ),
            [CitedSource(sources["jang"], locator="photos released by Jang", confidence=Confidence.CONFIRMED)],
        ),
        (
            dict(
                kind=EventKind.WELFARE_INCIDENT,
                title="Both attempted self-harm",
                occurred_on=None,
                occurred_on_precision=P.UNKNOWN,
                description="Ukrainian officials said they had attempted self-harm due to psychological instability.",
                people=both,
                governments=(ukraine,),
                sensitivity=Sensitivity.SENSITIVE,
            ),
            [CitedSource(sources["ukraine_officials"], confidence=Confidence.PROBABLE)],
        ),
        (
            dict(
                kind=EventKind.DIPLOMATIC_CONTACT,
                title="South Korea tells Ukraine it is ready to accept them if their intentions are verified",
                occurred_on=THIS_WEEK,
                occurred_on_precision=P.QUARTER,
                description="Progress on the transfer remains stalled, with no official agreement reached.",
                governments=(south_korea, ukraine),
            ),
            [CitedSource(sources["article"], confidence=Confidence.PROBABLE)],
        ),
        (
            dict(
                kind=EventKind.MEDIA_REPORT,
                title="Advocates warn of execution if they are returned; urge asylum in South Korea",
                occurred_on=THIS_WEEK,
                occurred_on_precision=P.QUARTER,
                description="Granting them asylum would align with South Korea's humanitarian obligations. The "
                "case involves Seoul, Kyiv and Moscow.",
                people=both,
                governments=(south_korea, ukraine, russia),
            ),
            [CitedSource(sources["article"], confidence=Confidence.CONFIRMED)],
        ),
    ):
        event_record(user=None, case=case, sources=cited, **fields)

    # The team's own work.
    Intervention.objects.create(
        case=case,
        kind=InterventionKind.LETTER,
        government=south_korea,
        request=ri_transfer,
        occurred_on=None,
        occurred_on_precision=P.UNKNOWN,
        asked="What does verifying their intentions require, who does it, and when?",
        made_by=lead,
    )
    CaseNote.objects.create(
        case=case,
        author=lead,
        body="Case opened from the news report. The men are not named in it: names in Vigil are placeholders "
        "until the ICRC or Ukraine confirms identities.",
    )
    for title, days in (
        ("Ask the ICRC about their welfare after the self-harm reports", 3),
        ("Ask the South Korean embassy in Kyiv what 'verifying their intentions' requires", 10),
    ):
        FollowUp.objects.create(case=case, title=title, due_on=today + datetime.timedelta(days=days), assignee=lead)
    _actors_arguments_observations(case, lead=lead)
    demo_loaded.send(sender=Case, case=case, lead=lead)
    return case


def demo_lead():
    """The demo user, when it exists, leads the demo case."""
    return get_user_model().objects.filter(username="demo").first()
