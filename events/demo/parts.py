"""The demo case's building blocks: its dates, its sources, its governments, its people; the signal
that lets apps above add their part."""

from __future__ import annotations

import datetime

from django.dispatch import Signal

from casework.models import (
    Government,
)
from core.dates import DatePrecision as P
from events.models import (
    Reliability,
    Source,
    SourceConnection,
    SourceKind,
)
from people.models import (
    LegalStatus,
    NameKind,
    Person,
    PersonName,
    PersonStatus,
    RiskLevel,
    Sex,
)

#: Sent with ``case`` and ``lead`` each time load_demo runs (loaded now or before): apps above
#: events add their part of the demo (evidence: the photo), each as idempotent as load_demo.
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
