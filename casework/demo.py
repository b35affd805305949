"""The demo case: the article that started Vigil (shared/seed-article.txt), recorded whole.

Two North Korean soldiers captured by Ukraine in Russia's Kursk region ask to
be transferred to South Korea; Seoul will accept them once their intentions
are verified; the transfer is stalled. Every fact of the article has its
field: names in three scripts, the healed jaw injury, the self-harm reports,
where they are held, each request and its story, the four governments and
their positions, the events from the deployment to this week's meeting, and
the sources the article rests on.

The article does not name the men: the names here are illustrative. It is
undated: "this week" is recorded as Q4 2025, a quarter, not a made-up day.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal

from casework import services
from casework.models import (
    Case,
    CaseNote,
    CaseStatus,
    CaseSubject,
    FollowUp,
    FreelyExpressed,
    Government,
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
from events.models import (
    Confidence,
    EventKind,
    Reliability,
    Sensitivity,
    Source,
    SourceConnection,
    SourceKind,
)
from events.services import CitedSource, event_record
from people.models import (
    Detention,
    LegalStatus,
    NameKind,
    Person,
    PersonName,
    PersonStatus,
    RiskLevel,
    Sex,
)

#: Sent with ``case`` and ``lead`` each time load_demo runs (loaded now or before): apps above
#: casework add their part of the demo (evidence: the photo), each as idempotent as load_demo.
demo_loaded = Signal()

DEMO_TITLE = "Two North Korean POWs held by Ukraine ask to be transferred to South Korea"

Q4_2024 = datetime.date(2024, 10, 1)
JANUARY_2025 = datetime.date(2025, 1, 1)
FEBRUARY_2025 = datetime.date(2025, 2, 1)
THIS_WEEK = datetime.date(2025, 10, 1)  # the article's "this week", known to the quarter: Q4 2025

RISK = (
    "Human rights advocates warn that returning him to North Korea could result in execution or harsh "
    "punishment: he fought for Russia, was captured, and has asked to go to South Korea."
)
WELFARE = (
    "Appeared clean and fed in photos released by Jang Se-yul, but reportedly in emotional distress. "
    "Hand-drawn portraits of Kim Jong-un hang in their quarters: continued loyalty or fear of repercussions."
)


def _sources() -> dict[str, Source]:
    rows = {
        "article": dict(
            kind=SourceKind.NEWS_REPORT,
            title="Two North Korean POWs captured in Ukraine plead to be transferred to South Korea",
            publisher="News report (shared/seed-article.txt)",
            language="en",
            published_on=THIS_WEEK,
            published_on_precision=P.QUARTER,
            reliability=Reliability.C,
            connection=SourceConnection.THIRD_PARTY,
            notes="The article Vigil's demo case records. Undated; reports the meeting as 'this week'.",
        ),
        "jang": dict(
            kind=SourceKind.NGO_STATEMENT,
            title="Jang Se-yul's account of the meeting, with photos of the prisoners",
            publisher="Jang Se-yul, head of a North Korean defectors' group in Seoul",
            language="ko",
            published_on=THIS_WEEK,
            published_on_precision=P.QUARTER,
            reliability=Reliability.C,
            connection=SourceConnection.THIRD_PARTY,
        ),
        "producer": dict(
            kind=SourceKind.INTERVIEW,
            title="Meeting of a South Korean documentary producer with the two prisoners near Kyiv",
            publisher="South Korean documentary producer (unnamed)",
            language="ko",
            published_on=THIS_WEEK,
            published_on_precision=P.QUARTER,
            reliability=Reliability.F,
            connection=SourceConnection.DETAINEE,
            notes="The prisoners' own words, relayed by Jang Se-yul.",
        ),
        "zelenskyy": dict(
            kind=SourceKind.GOVERNMENT_STATEMENT,
            title="President Zelenskyy announces the capture of two North Korean soldiers in the Kursk region",
            publisher="Volodymyr Zelenskyy, President of Ukraine",
            language="uk",
            published_on=JANUARY_2025,
            published_on_precision=P.MONTH,
            reliability=Reliability.B,
            connection=SourceConnection.THIRD_PARTY,
        ),
        "ukraine_officials": dict(
            kind=SourceKind.GOVERNMENT_STATEMENT,
            title="Ukrainian officials on the prisoners' self-harm attempts",
            publisher="Ukrainian officials (unnamed)",
            language="uk",
            published_on=THIS_WEEK,
            published_on_precision=P.QUARTER,
            reliability=Reliability.B,
            connection=SourceConnection.THIRD_PARTY,
        ),
    }
    return {key: Source.objects.create(**fields) for key, fields in rows.items()}


def _governments() -> dict[str, Government]:
    names = {"UA": "Ukraine", "KP": "North Korea", "KR": "South Korea", "RU": "Russia"}
    return {
        code: Government.objects.get_or_create(name=name, defaults={"country": code})[0] for code, name in names.items()
    }


def _person(*, display_name, original, names, identifying_features="", health="", depends_on) -> Person:
    person = Person.objects.create(
        display_name=display_name,
        name_original=original,
        sex=Sex.MALE,
        age_estimate="in his 20s",
        nationality="KP",
        legal_status=LegalStatus.PRISONER_OF_WAR,
        status=PersonStatus.IN_DETENTION,
        description="North Korean soldier who fought alongside Russian troops; captured by Ukraine.",
        identifying_features=identifying_features,
        depends_on=depends_on,
        risk_level=RiskLevel.EXTREME,
        risk_reason=RISK,
        health_notes=health,
        welfare_notes=WELFARE,
    )
    PersonName.objects.create(person=person, name=original, kind=NameKind.ORIGINAL, language="ko-Kore")
    for name, language, note in names:
        PersonName.objects.create(person=person, name=name, kind=NameKind.TRANSLITERATION, language=language, note=note)
    return person


@transaction.atomic
def load_demo(*, lead=None) -> Case | None:
    """Record the seed article's case. Returns None when it is already there
    (running twice changes nothing)."""
    existing = Case.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
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
        services.position_record(
            involvement=involvements[south_korea],
            request=request,
            stance=Stance.CONDITIONAL,
            stated_on=THIS_WEEK,
            stated_on_precision=P.QUARTER,
            condition="Will accept them if their intentions are verified.",
            condition_request=request,
            statement_translation="South Korea has informed Ukraine it is ready to accept the captives if their "
            "intentions are verified.",
            source=sources["article"],
        )
    services.position_record(
        involvement=involvements[ukraine],
        stance=Stance.UNKNOWN,
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
        event_record(case=case, sources=cited, **fields)

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
    demo_loaded.send(sender=Case, case=case, lead=lead)
    return case


def demo_lead():
    """The demo user, when it exists, leads the demo case."""
    return get_user_model().objects.filter(username="demo").first()
