"""The demo case's actors, legal arguments, observations and intervention (facts 4, 6, 9, 14, 16, 19, 20)."""

from __future__ import annotations

from casework import services
from casework.models import (
    Actor,
    ActorKind,
    Case,
    Government,
    Intervention,
    InterventionKind,
    Involvement,
    LegalArgument,
    LegalBasis,
    PositionStatement,
    RequestCategory,
    Stance,
    StatedRequest,
)
from core.dates import DatePrecision as P
from events.demo.parts import BIRTH_YEARS, THIS_WEEK
from events.models import (
    Confidence,
    Event,
    EventActor,
    EventKind,
    Source,
)
from events.services import CitedSource, event_record
from people.models import (
    Person,
)


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
            user=None,
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
