"""The generator: users and teams, governments, then cases with everything in them, loaded with
triggers off and secondary indexes rebuilt after."""

from __future__ import annotations

import datetime
import functools
import io
import random
import sys
import time
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django_countries import countries

from casework.models import (
    Case,
    CaseMember,
    CaseSubject,
    Government,
    Involvement,
    PositionStatement,
    ReferenceCounter,
    RequestUpdate,
    StatedRequest,
)
from core.roles import EDITOR
from events.generate.loading import Loader, Progress
from events.generate.vocabulary import (
    BENCH_EDITOR,
    CASE_STATUSES,
    CATEGORIES,
    CYRILLIC,
    EDITOR_TEAMS,
    EVENT_KINDS,
    FAMILY,
    GIVEN,
    HUGE_CASES,
    PRECISIONS,
    PRIORITIES,
    REQUEST_STATUSES,
    ROLES,
    SPAN_DAYS,
    STANCES,
    START,
    SURNAMES,
    SYLLABLES,
    TEAM_SIZE,
    TEAMS,
    WORDS,
)
from events.models import Citation, Event, Source
from people.models import Person, PersonName, PersonSearch
from people.names import name_keys


@functools.lru_cache(maxsize=200_000)
def _keys(*names: str) -> tuple[str, ...]:
    return tuple(name_keys(*names))


class Generator:
    def __init__(self, cases: int, seed: int, out=sys.stdout):
        self.cases, self.random, self.out = cases, random.Random(seed), out
        self.now = datetime.datetime.now(datetime.UTC)
        self.ids: dict[str, int] = {}

    # ------------------------------------------------------------ helpers
    def _next_ids(self, model: type[models.Model], count: int) -> range:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
            first = cursor.fetchone()[0] + 1
        return range(first, first + count)

    def _date(self, earliest: datetime.date = START) -> datetime.date:
        # Skewed toward recent years, as caseloads grow.
        offset = int(self.random.triangular(0, SPAN_DAYS, SPAN_DAYS * 0.85))
        return max(earliest, START + datetime.timedelta(days=offset))

    def _fuzzy(self, value: datetime.date) -> tuple[datetime.date, str]:
        # Reported dates are of what has happened: never in the future (a database constraint).
        value = min(value, datetime.date.today())
        precision = self.random.choice(PRECISIONS)
        if precision == "month":
            value = value.replace(day=1)
        elif precision == "quarter":
            value = value.replace(month=3 * ((value.month - 1) // 3) + 1, day=1)
        elif precision == "year":
            value = value.replace(month=1, day=1)
        return value, precision

    def _text(self, words: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(words))

    def _load(self, model, label: str, total: int, rows: Iterator[dict]) -> int:
        progress = Progress(label, total)
        count = Loader(model, self.now).load(rows, progress)
        progress.total = count
        progress.finish()
        return count

    # ------------------------------------------------------------ run
    def run(self) -> dict[str, int]:
        started = time.monotonic()
        tables = [Case, CaseMember, CaseSubject, Government, Involvement, PositionStatement, RequestUpdate,
                  StatedRequest, Person, PersonName, Event, Source, Citation]  # fmt: skip
        counts: dict[str, int] = {}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # index rebuilds take minutes at a million cases
            self.out.write(
                "Loading with PostgreSQL COPY. History triggers, version triggers and foreign-key checks are "
                "disabled on the loaded tables while loading (this run writes only consistent rows), and their "
                "secondary indexes are dropped and rebuilt afterwards: these rows have no history.\n"
            )
            indexes = self._drop_indexes(cursor, tables)
            for model in tables:
                cursor.execute(f'ALTER TABLE "{model._meta.db_table}" DISABLE TRIGGER ALL')
            users = self._users()
            counts["governments"] = self._governments()
            counts.update(self._cases_and_everything(users))
            for model in tables:
                cursor.execute(f'ALTER TABLE "{model._meta.db_table}" ENABLE TRIGGER ALL')
            self._rebuild_indexes(cursor, indexes)
            # Statistics before the set-wide statements below: without them (the rows are this
            # transaction's own, which autovacuum cannot see) the planner guesses, and the recount
            # ran for over 40 minutes at a million cases.
            self._analyze(cursor, tables)
            # What triggers keep, made whole once (their triggers were off while loading).
            cursor.execute("SELECT people_search_refresh_all()")
            # Those rows went to the GIN indexes' pending lists (fastupdate), which every search then reads
            # through one by one (and which make the planner prefer a sequential scan): merge them in now.
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin' AND i.indrelid = %s::regclass",
                [PersonSearch._meta.db_table],
            )
            self._analyze(cursor, [PersonSearch])
            cursor.execute("SELECT vigil_recount_all()")  # the home page's counters (casework/counting_sql.py)
            self._reset_sequences(cursor, tables)
            for year, last in self.year_counter.items():
                ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": last})
        counts["seconds"] = round(time.monotonic() - started, 1)
        return counts

    @staticmethod
    def _analyze(cursor, models) -> None:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')

    def _drop_indexes(self, cursor, tables) -> list[str]:
        names = [model._meta.db_table for model in tables]
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [names],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
        self.out.write(f"Dropped {len(found)} secondary indexes for the load.\n")
        return [definition for _name, definition in found]

    def _rebuild_indexes(self, cursor, definitions: list[str]) -> None:
        progress = Progress("rebuilding indexes", len(definitions))
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)
            progress.advance(1)
        progress.finish()

    def _reset_sequences(self, cursor, tables) -> None:
        for model in tables:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))"
            )

    def _users(self) -> list[list[int]]:
        """300 users in 60 teams of 5, and bench-editor in the first 20 teams; returns the teams' user ids."""
        User = get_user_model()
        existing = set(User.objects.filter(username__startswith="bench-").values_list("username", flat=True))
        password = make_password(None)  # unusable: benchmark users sign in with force_login or tokens
        new = [
            User(username=f"bench-user-{n:03d}", password=password, is_active=True)
            for n in range(TEAMS * TEAM_SIZE)
            if f"bench-user-{n:03d}" not in existing
        ]
        User.objects.bulk_create(new)
        ids = list(
            User.objects.filter(username__startswith="bench-user-").order_by("username").values_list("id", flat=True)
        )
        teams = [ids[team * TEAM_SIZE : (team + 1) * TEAM_SIZE] for team in range(TEAMS)]
        # The benchmark's user: an editor on the teams of the first EDITOR_TEAMS teams' cases.
        editor, _ = User.objects.get_or_create(username=BENCH_EDITOR, defaults={"password": password})
        editor.groups.add(Group.objects.get(name=EDITOR))
        for team in teams[:EDITOR_TEAMS]:
            team.append(editor.pk)
        return teams

    def _governments(self) -> int:
        have = set(Government.objects.values_list("name", flat=True))
        rows = [Government(name=name, country=code) for code, name in list(countries)[:200] if name not in have]
        Government.objects.bulk_create(rows)
        self.governments = list(Government.objects.values_list("id", flat=True))
        return len(self.governments)

    def _person_names(self):
        if self.random.random() < 0.6:
            surname, first, second = self.random.choice(SURNAMES), *self.random.sample(SYLLABLES, 2)
            hangul = surname[0] + first[0] + second[0]
            north = f"{surname[1]} {first[1]} {second[1]}"
            south = f"{surname[2]} {first[2]}-{second[2].lower()}"
            cyrillic = f"{surname[3]} {first[3]} {second[3]}"
            return north, hangul, [(hangul, "original", "ko-Kore"), (south, "transliteration", "ko-Latn"),
                                   (cyrillic, "transliteration", "ru-Cyrl")]  # fmt: skip
        given, family = self.random.choice(GIVEN), self.random.choice(FAMILY)
        latin = f"{given} {family}"
        return latin, "", [(latin, "transliteration", "en"), (f"{family}, {given}", "alias", "en"),
                           (latin.translate(CYRILLIC), "transliteration", "ru-Cyrl")]  # fmt: skip

    def _cases_and_everything(self, teams: list[list[int]]) -> dict[str, int]:
        rnd, n = self.random, self.cases
        case_ids = self._next_ids(Case, n)
        # References continue each year's counter, which is moved on at the end, so the
        # database never issues one of these again (casework_next_case_reference).
        year_counter = dict(ReferenceCounter.objects.values_list("year", "last_number"))
        self.year_counter = year_counter
        members, subjects, people, names = [], [], [], []
        requests, updates, involvements, positions, events, citations = [], [], [], [], [], []
        source_count = max(n // 2, 10)
        source_ids = self._next_ids(Source, source_count)
        person_id = self._next_ids(Person, 1).start
        name_id = self._next_ids(PersonName, 1).start
        request_id = self._next_ids(StatedRequest, 1).start
        involvement_id = self._next_ids(Involvement, 1).start
        event_id = self._next_ids(Event, 1).start

        def case_rows():
            nonlocal person_id, name_id, request_id, involvement_id, event_id
            for index, case_id in enumerate(case_ids):
                opened = self._date()
                year_counter[opened.year] = year_counter.get(opened.year, 0) + 1
                status = rnd.choice(CASE_STATUSES)
                restricted = rnd.random() < 0.05
                team = teams[rnd.randrange(len(teams))]
                closed = opened + datetime.timedelta(days=rnd.randint(30, 2000)) if status == "closed" else None
                yield {
                    "id": case_id,
                    "reference": f"VIG-{opened.year}-{year_counter[opened.year]:04d}",
                    "title": f"{self._text(3).capitalize()} case {case_id}",
                    "summary": self._text(rnd.randint(8, 30)),
                    "status": status,
                    "priority": rnd.choice(PRIORITIES),
                    "confidentiality": "restricted" if restricted else "normal",
                    "lead_id": team[0],
                    "opened_on": opened,
                    "closed_on": closed if closed and closed <= datetime.date.today() else None,
                    "next_review_on": None
                    if status == "closed"
                    else opened + datetime.timedelta(days=rnd.randint(7, 400)),
                    "tags": rnd.sample(WORDS, rnd.randint(0, 2)),
                }
                if restricted:
                    members.extend({"case_id": case_id, "user_id": user} for user in team[1:])
                # People: 1.2 per case.
                case_people = []
                for _ in range(2 if rnd.random() < 0.2 else 1):
                    display, original, spellings = self._person_names()
                    people.append({
                        "id": person_id, "display_name": display, "name_original": original,
                        "name_keys": list(_keys(display, original)), "nationality": "KP" if original else "UA",
                        "status": rnd.choice(["in_detention"] * 6 + ["released", "transferred", "missing", "unknown"]),
                        "legal_status": rnd.choice(["prisoner_of_war", "political_prisoner", "civilian_internee", "asylum_seeker"]),
                        "sex": rnd.choice(["male", "male", "female", "unknown"]), "birth_date_precision": "day",
                    })  # fmt: skip
                    for spelling, kind, language in spellings:
                        names.append({"id": name_id, "person_id": person_id, "name": spelling, "kind": kind,
                                      "language": language, "name_keys": list(_keys(spelling))})  # fmt: skip
                        name_id += 1
                    subjects.append({"case_id": case_id, "person_id": person_id, "role": "detainee"})
                    case_people.append(person_id)
                    person_id += 1
                # Requests: about 3 per case, each with 0-3 updates.
                for _ in range(rnd.choice([1, 2, 3, 3, 4, 5])):
                    category = rnd.choice(CATEGORIES)
                    stated, precision = self._fuzzy(opened + datetime.timedelta(days=rnd.randint(0, 300)))
                    previous, last_moved = "stated", None
                    for _step in range(rnd.choice([0, 1, 1, 2, 3])):
                        new = rnd.choice(REQUEST_STATUSES)
                        when, when_precision = self._fuzzy(stated + datetime.timedelta(days=rnd.randint(10, 900)))
                        last_moved = max(last_moved or when, when)
                        updates.append({"request_id": request_id, "previous_status": previous, "status": new,
                                        "occurred_on": when, "occurred_on_precision": when_precision,
                                        "note": self._text(6)})  # fmt: skip
                        previous = new
                    requests.append({
                        "id": request_id, "case_id": case_id, "person_id": rnd.choice(case_people), "category": category,
                        "summary": category.replace("_", " ").capitalize(), "first_stated_on": stated,
                        "first_stated_on_precision": precision, "status": previous,
                        "destination_country": rnd.choice(["KR", "DE", "CA"]) if category in {"transfer", "asylum"} else "",
                        "status_changed_at": (changed := self.now - datetime.timedelta(days=rnd.randint(0, 2000))),
                        # As the database's trigger (disabled while loading) would set it.
                        "last_moved_on": last_moved or changed.date(),
                        "addressed_to_id": rnd.choice(self.governments),
                    })  # fmt: skip
                    request_id += 1
                # Governments: 2-4 involvements, 1-2 positions each.
                for government in rnd.sample(self.governments, rnd.randint(2, 4)):
                    involvements.append({"id": involvement_id, "case_id": case_id, "government_id": government,
                                         "role": rnd.choice(ROLES)})  # fmt: skip
                    for _ in range(rnd.randint(1, 2)):
                        stance = rnd.choice(STANCES)
                        when, precision = self._fuzzy(opened + datetime.timedelta(days=rnd.randint(0, 900)))
                        positions.append({"involvement_id": involvement_id, "stance": stance, "stated_on": when,
                                          "stated_on_precision": precision,
                                          "condition": self._text(5) if stance == "conditional" else ""})  # fmt: skip
                    involvement_id += 1
                # Events: a heavy tail around 10 per case; the first cases are huge.
                count = rnd.randint(500, 600) if index < HUGE_CASES else min(int(rnd.paretovariate(1.6) * 3.9), 3000)
                for _ in range(count):
                    when, precision = self._fuzzy(opened + datetime.timedelta(days=rnd.randint(0, 3000)))
                    kind = rnd.choice(EVENT_KINDS)
                    events.append({"id": event_id, "case_id": case_id, "occurred_on": when,
                                   "occurred_on_precision": precision, "kind": kind, "title": self._text(5).capitalize(),
                                   "description": self._text(rnd.randint(5, 25)), "place": rnd.choice(WORDS),
                                   "sensitivity": "sensitive" if kind == "welfare_incident" else "normal"})  # fmt: skip
                    citations.append({"event_id": event_id, "source_id": rnd.choice(source_ids),
                                      "confidence": rnd.choice(["confirmed", "probable", "possible", "doubtful"])})  # fmt: skip
                    event_id += 1

        def drain(buffer):
            """Rows gathered while cases are generated, handed to COPY chunk by chunk."""
            while buffer:
                yield buffer.pop()

        counts = {}
        # Cases drive everything: generate them in slices, loading each table's rows as they pile up.
        slice_size = 5_000
        progress = Progress("cases (and all)", n)
        loaders = {model: Loader(model, self.now) for model in (Case, CaseMember, Person, PersonName, CaseSubject,
                                                                 StatedRequest, RequestUpdate, Involvement,
                                                                 PositionStatement, Event, Citation)}  # fmt: skip
        piles = [(CaseMember, members), (Person, people), (PersonName, names), (CaseSubject, subjects),
                 (StatedRequest, requests), (RequestUpdate, updates), (Involvement, involvements),
                 (PositionStatement, positions), (Event, events), (Citation, citations)]  # fmt: skip
        self._load(Source, "sources", source_count, self._sources(source_ids))
        generator = case_rows()
        quiet = Progress("", 1, out=io.StringIO())
        while True:
            batch = [row for _, row in zip(range(slice_size), generator, strict=False)]
            if not batch:
                break
            counts["cases"] = counts.get("cases", 0) + loaders[Case].load(batch, quiet)
            for model, pile in piles:
                counts[model._meta.model_name] = counts.get(model._meta.model_name, 0) + loaders[model].load(
                    drain(pile), quiet
                )
            progress.advance(len(batch))
        progress.finish()
        counts["sources"] = source_count
        return counts

    def _sources(self, ids: range) -> Iterator[dict]:
        rnd = self.random
        kinds = ["news_report"] * 5 + ["ngo_statement", "government_statement", "interview", "document", "social_media"]
        for source_id in ids:
            published, precision = self._fuzzy(self._date())
            yield {"id": source_id, "kind": rnd.choice(kinds), "title": self._text(6).capitalize(),
                   "publisher": rnd.choice(WORDS).capitalize() + " News", "language": rnd.choice(["en", "ko", "uk", "ru"]),
                   "published_on": published, "published_on_precision": precision,
                   "reliability": rnd.choice("ABCCDDEF"), "connection": "third_party"}  # fmt: skip
