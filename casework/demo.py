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

The article's 20 facts, and the fields that hold each (tests/test_demo_case.py
and tests/test_seed_article_api.py read them back):

 1. two North Korean POWs captured in Ukraine: ``Person`` (nationality KP, legal_status
    prisoner_of_war, status in_detention), two of them, ``CaseSubject``, ``Detention.authority`` Ukraine
 2. they plead to be transferred to South Korea: ``StatedRequest`` (category transfer,
    destination_country KR, addressed_to Ukraine)
 3. both in their 20s: ``Person.birth_year_earliest``/``birth_year_latest`` (1995 to 2005) and
    ``age_estimate``
 4. the request was made during a meeting with a South Korean documentary producer:
    ``Event`` (kind interview) with ``EventActor`` (the producer, an ``Actor``: "met them");
    ``StatedRequest.channel`` meeting
 5. this week, at a detention facility near Kyiv: that event's ``occurred_on`` (Q4 2025) and
    ``place``; ``Detention.locality``
 6. according to Jang Se-yul, head of a defectors' group in Seoul: ``Source.author`` = the
    ``Actor`` Jang Se-yul (role head, ``organisation`` the defectors' group); ``EventActor``
    ("relayed the request")
 7. they tearfully begged: ``StatedRequest.words``; ``RequestUpdate`` (a reaffirmation)
 8. in February only one wanted to go: ``StatedRequest.first_stated_on`` February 2025, the
    ``RequestUpdate`` story, ``Event`` (detainee_statement, February 2025)
 9. January: Zelenskyy revealed their capture in Russia's Kursk region: ``Event`` (capture,
    place, country RU) and ``Event`` (government_statement) citing a ``Source`` whose
    ``author`` is the ``Actor`` Volodymyr Zelenskyy (``government`` Ukraine)
10. they fought alongside Russian troops: ``Involvement`` Russia (belligerent_ally);
    ``Person.depends_on`` North Korea
11. since late 2024 North Korea sent about 15,000 troops: ``Event`` (Q4 2024, governments
    North Korea and Russia)
12. a healed jaw injury with visible deformity: ``Person.identifying_features``; a sensitive
    ``Event`` (medical)
13. clean and fed, but emotional distress: ``Detention.conditions``, ``Person.welfare_notes``
14. self-harm attempts (Ukrainian officials): ``Event`` (welfare_incident, sensitive) citing a
    ``Source`` whose ``author`` is the ``Actor`` "Ukrainian officials"
15. they asked for medicine, warm clothes, cigarettes and books: 8 ``StatedRequest`` of minor
    categories (waiting supplies)
16. portraits of Kim Jong-un in their quarters, "loyalty or fear": ``Event`` (kind observation)
    with ``interpretation`` and ``interpretation_confidence`` possible
17. South Korea will accept them if their intentions are verified: ``PositionStatement``
    (conditional, condition, ``condition_request``), ``Event`` (diplomatic_contact)
18. the transfer is stalled, no official agreement: ``RequestUpdate`` (status stalled),
    ``Case.status`` stalled
19. advocates warn of execution and argue asylum aligns with South Korea's humanitarian
    obligations: ``Person.risk_level``/``risk_reason``; ``LegalArgument`` (basis "Humanitarian
    obligations of the receiving state", and "Non-refoulement") ``argued_by`` the ``Actor``
    "human rights advocates"
20. both countries weigh legal and political consequences: ``PositionStatement`` (stance
    under_consideration) of Ukraine, ``spoken_by`` the Ukrainian officials

And what the team does about it: an ``Intervention`` addressed to the ICRC
(``addressed_to_actor``), asking it to confirm their free will, resting on GC III
Art. 118 (a ``LegalArgument``).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal

from casework import services
from casework.models import (
    Actor,
    ActorKind,
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
    LegalArgument,
    LegalBasis,
    PositionStatement,
    Priority,
    RequestCategory,
    RequestChannel,
    RequestStatus,
    Stance,
    StatedRequest,
)
from core.dates import DatePrecision as P
from core.services import translation_record
from events.models import (
    Confidence,
    Event,
    EventActor,
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

BIRTH_YEARS = Person.birth_years_for_age(20, 29, THIS_WEEK)  # "both in their 20s", this week

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
        birth_year_earliest=BIRTH_YEARS[0],
        birth_year_latest=BIRTH_YEARS[1],
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
    _actors_arguments_observations(case, lead=lead)
    demo_loaded.send(sender=Case, case=case, lead=lead)
    return case


def _actor(kind, name, **fields) -> Actor:
    return Actor.objects.get_or_create(kind=kind, name=name, defaults=fields)[0]


def _actors_arguments_observations(case: Case, *, lead) -> None:
    """Facts 3, 4, 6, 9, 14, 16, 19 and 20 of the docstring's list: who spoke and who was
    there, the legal arguments, the observation and its reading. Idempotent: a demo
    loaded before these fields existed gains them on the next ``load_demo``."""
    ukraine = Government.objects.get(name="Ukraine")
    defectors = _actor(
        ActorKind.ORGANISATION,
        "North Korean defectors' group in Seoul",
        country="KR",
        description="The article does not name the group.",
    )
    actors = {
        "jang": _actor(
            ActorKind.INDIVIDUAL,
            "Jang Se-yul",
            name_original="장세율",
            other_names=["Chang Se-yul", "Jang Se Yul"],
            role="head of a North Korean defectors' group",
            organisation=defectors,
            country="KR",
        ),
        "producer": _actor(
            ActorKind.INDIVIDUAL,
            "South Korean documentary producer (unnamed)",
            name_original="한국 다큐멘터리 프로듀서",
            role="documentary producer",
            country="KR",
        ),
        "zelenskyy": _actor(
            ActorKind.INDIVIDUAL,
            "Volodymyr Zelenskyy",
            name_original="Володимир Зеленський",
            other_names=["Volodymyr Zelensky", "Владимир Зеленский", "볼로디미르 젤렌스키"],
            role="President of Ukraine",
            government=ukraine,
            country="UA",
        ),
        "ukraine_officials": _actor(
            ActorKind.ORGANISATION,
            "Ukrainian officials (unnamed)",
            role="officials",
            government=ukraine,
            country="UA",
        ),
        "advocates": _actor(
            ActorKind.ORGANISATION,
            "Human rights advocates (unnamed)",
            description="Advocates quoted by the article, not named in it.",
        ),
        "icrc": _actor(
            ActorKind.ORGANISATION,
            "International Committee of the Red Cross",
            name_original="Comité international de la Croix-Rouge",
            other_names=["ICRC", "CICR", "МККК", "국제적십자위원회"],  # noqa: RUF001 (Russian)
            country="CH",
        ),
    }
    authors = {
        "Jang Se-yul's account of the meeting, with photos of the prisoners": actors["jang"],
        "Meeting of a South Korean documentary producer with the two prisoners near Kyiv": actors["producer"],
        "President Zelenskyy announces the capture of two North Korean soldiers in the Kursk region": actors[
            "zelenskyy"
        ],
        "Ukrainian officials on the prisoners' self-harm attempts": actors["ukraine_officials"],
    }
    for title, author in authors.items():
        Source.objects.filter(title=title, author__isnull=True).update(author=author)

    people = Person.objects.filter(case_subjects__case=case, birth_year_earliest__isnull=True)
    people.update(birth_year_earliest=BIRTH_YEARS[0], birth_year_latest=BIRTH_YEARS[1])

    meeting = Event.objects.filter(case=case, kind=EventKind.INTERVIEW).first()
    if meeting is not None:
        for actor, part in ((actors["producer"], "met them; they made the request to him"),
                            (actors["jang"], "relayed the request and released the photos")):  # fmt: skip
            EventActor.objects.get_or_create(event=meeting, actor=actor, defaults={"part": part})

    article = Source.objects.get(title__startswith="Two North Korean POWs captured in Ukraine")
    if not Event.objects.filter(case=case, kind=EventKind.OBSERVATION).exists():
        event_record(
            case=case,
            kind=EventKind.OBSERVATION,
            title="Hand-drawn portraits of Kim Jong-un hang in their quarters",
            occurred_on=THIS_WEEK,
            occurred_on_precision=P.QUARTER,
            place="detention facility near Kyiv",
            country="UA",
            people=Person.objects.filter(case_subjects__case=case),
            actors=[(actors["jang"], "reported it")],
            interpretation="Continued loyalty to Kim Jong-un, or fear of repercussions if they are returned.",
            interpretation_confidence=Confidence.POSSIBLE,
            sources=[CitedSource(article, locator="showing continued loyalty or fear of repercussions")],
        )

    involvement = Involvement.objects.get(case=case, government=ukraine)
    weighing = PositionStatement.objects.filter(involvement=involvement, stance=Stance.UNDER_CONSIDERATION)
    if not weighing.exists():
        services.position_record(
            involvement=involvement,
            stance=Stance.UNDER_CONSIDERATION,
            stated_on=THIS_WEEK,
            stated_on_precision=P.QUARTER,
            condition="Weighing legal and political consequences; no official agreement on the transfer.",
            source=article,
        )
    weighing.filter(spoken_by__isnull=True).update(spoken_by=actors["ukraine_officials"])

    transfers = list(StatedRequest.objects.filter(case=case, category=RequestCategory.TRANSFER))
    # The vocabulary's first entries (migration casework 0015), made again if someone removed them.
    bases = {
        name: LegalBasis.objects.get_or_create(name=name, defaults={"instrument": instrument})[0]
        for name, instrument in (
            ("Humanitarian obligations of the receiving state", ""),
            ("Non-refoulement", "Refugee Convention Art. 33; CAT Art. 3; ICCPR Art. 6 and 7"),
            ("GC III Art. 118: release and repatriation", "Third Geneva Convention (1949)"),
        )
    }
    for request in transfers:
        for basis, argument in (
            (
                "Humanitarian obligations of the receiving state",
                "Granting them asylum would align with South Korea's humanitarian obligations.",
            ),
            ("Non-refoulement", "Returned to North Korea, they could face execution or harsh punishment."),
        ):
            LegalArgument.objects.get_or_create(
                case=case,
                request=request,
                basis=bases[basis],
                defaults={"argument": argument, "argued_by": actors["advocates"], "source": article},
            )

    asked_icrc = "Confirm that both men ask freely to go to South Korea, as Seoul requires before accepting them."
    if not Intervention.objects.filter(case=case, addressed_to_actor=actors["icrc"]).exists():
        intervention = Intervention.objects.create(
            case=case,
            kind=InterventionKind.LETTER,
            addressed_to_actor=actors["icrc"],
            request=transfers[0] if transfers else None,
            occurred_on=None,
            occurred_on_precision=P.UNKNOWN,
            asked=asked_icrc,
            made_by=lead,
        )
        LegalArgument.objects.create(
            case=case,
            intervention=intervention,
            basis=bases["GC III Art. 118: release and repatriation"],
            argument="Repatriation after hostilities must not be forced: the ICRC's practice is to confirm "
            "each prisoner's own wish.",
        )


def demo_lead():
    """The demo user, when it exists, leads the demo case."""
    return get_user_model().objects.filter(username="demo").first()
