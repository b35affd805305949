"""A new user records the seed article (shared/seed-article.txt) through the API, as a
partner tool would: a token, then calls; and reads every one of its 20 facts back in
structured fields (events/demo/ lists the field that holds each). The number of
calls is counted: ``CALLS`` pins it."""

from __future__ import annotations

import importlib

import pytest
from rest_framework.test import APIClient

from core.roles import CASE_LEAD
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

PASSWORD = "a long enough password"
Q4_2025 = {"published_on": "2025-10-01", "published_on_precision": "quarter"}
THIS_WEEK = {"occurred_on": "2025-10-01", "occurred_on_precision": "quarter"}
#: calls to record the article (token included) and to read it back
CALLS_TO_RECORD, CALLS_TO_READ = 43, 6


class CountingClient(APIClient):
    """An API client that counts its calls and fails loudly on an unexpected answer."""

    calls = 0

    def call(self, method: str, path: str, body=None, expect: int = 201):
        self.calls += 1
        response = getattr(self, method)(path, body, format="json")
        assert response.status_code == expect, (path, response.content)
        return response.json()

    def post_(self, path, body):
        return self.call("post", f"/api/v1/{path}", body)

    def get_(self, path):
        return self.call("get", f"/api/v1/{path}", expect=200)


@pytest.fixture
def legal_bases(db):
    """The vocabulary as migration casework 0015 seeds it (a transactional test elsewhere may have emptied it)."""
    from django.apps import apps

    importlib.import_module("casework.migrations.0015_seed_legal_bases").seed(apps, None)


@pytest.fixture
def newcomer(db, legal_bases):
    user = factories.user_with_role("lena", CASE_LEAD)
    user.set_password(PASSWORD)
    user.save()
    return user


def record_the_article(api: CountingClient) -> str:
    """Every fact of the article, through the API. Returns the case's reference."""
    token = api.call("post", "/api/v1/auth/token/", {"username": "lena", "password": PASSWORD, "name": "seed"}, 200)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    gov = {
        code: api.post_("governments/", {"name": name, "kind": "state", "country": code})["id"]
        for code, name in (("UA", "Ukraine"), ("KP", "North Korea"), ("KR", "South Korea"), ("RU", "Russia"))
    }
    case = api.post_(
        "cases/",
        {"title": "Two North Korean POWs ask to go to South Korea", "opened_on": "2025-10-01", "status": "stalled"},
    )
    ref = case["reference"]
    involvement = {
        code: api.post_("involvements/", {"case": case["id"], "government": gov[code], "role": role})["id"]
        for code, role in (
            ("UA", "detaining_state"),
            ("KP", "state_of_nationality"),
            ("KR", "receiving_state"),
            ("RU", "belligerent_ally"),  # fact 10: they fought alongside Russian troops
        )
    }
    # Facts 1, 3, 12, 13, 19 (risk): two prisoners of war in their 20s, the jaw injury, their state.
    people = {}
    for name, original, features in (
        ("Ri Jong Chol", "리정철", "Healed jaw injury with visible deformity."),
        ("Paek Kwang Hyok", "백광혁", ""),
    ):
        person = api.post_(
            "people/?confirm_new=true",
            {
                "display_name": name,
                "name_original": original,
                "sex": "male",
                "nationality": "KP",
                "legal_status": "prisoner_of_war",
                "status": "in_detention",
                "age_estimate": "in his 20s",
                "birth_year_earliest": 1995,
                "birth_year_latest": 2005,
                "identifying_features": features,
                "depends_on": gov["KP"],
                "welfare_notes": "Clean and fed, but in emotional distress.",
                "risk_level": "extreme",
                "risk_reason": "Returned to North Korea, he could face execution or harsh punishment.",
            },
        )
        people[name] = person["id"]
        api.post_("case-subjects/", {"case": case["id"], "person": person["id"], "role": "detainee"})
        api.post_(
            "detentions/",
            {
                "person": person["id"],
                "locality": "near Kyiv",
                "country": "UA",
                "authority": gov["UA"],
                "started_on": "2025-01-01",
                "started_on_precision": "month",
                "conditions": "Clean and fed according to photos; emotional distress reported.",
            },
        )
    ri, paek = people["Ri Jong Chol"], people["Paek Kwang Hyok"]

    # Facts 4, 6, 9, 14, 19, 20: who speaks and who was there.
    def actor(**body):
        return api.post_("actors/", body)["id"]

    group = actor(kind="organisation", name="North Korean defectors' group in Seoul", country="KR")
    jang = actor(kind="individual", name="Jang Se-yul", name_original="장세율", role="head", organisation=group)
    producer = actor(kind="individual", name="South Korean documentary producer", role="documentary producer")
    zelenskyy = actor(kind="individual", name="Volodymyr Zelenskyy", role="President", government=gov["UA"])
    officials = actor(kind="organisation", name="Ukrainian officials", government=gov["UA"])
    advocates = actor(kind="organisation", name="Human rights advocates")

    # Facts 2, 8, 15: the transfer requests (only Ri's in February) and the supplies.
    def ask(person, category, summary, **more):
        body = {"case": case["id"], "person": person, "category": category, "summary": summary, **more}
        return api.post_("requests/", {"first_stated_on": "2025-10-01", "first_stated_on_precision": "quarter", **body})

    to_seoul = {"destination_country": "KR", "addressed_to": gov["UA"]}
    transfer = {
        ri: ask(
            ri, "transfer", "Transfer to South Korea", **to_seoul, first_stated_on="2025-02-01",
            first_stated_on_precision="month", words="Expressed interest in resettling in South Korea.",
        )["id"],
        paek: ask(
            paek, "transfer", "Transfer to South Korea", **to_seoul, channel="meeting",
            words="Tearfully begged to go to South Korea.",
        )["id"],
    }  # fmt: skip
    for person in (ri, paek):
        for category, summary in (
            ("medicine", "Medicine"),
            ("clothing", "Warm clothes"),
            ("tobacco", "Cigarettes"),
            ("reading", "Books"),
        ):
            ask(person, category, summary, channel="meeting")

    develop = f"cases/{ref}/developments/"
    # Fact 9: January, Zelenskyy reveals their capture in Russia's Kursk region.
    api.post_(develop, {
        "new_source": {"title": "Zelenskyy announces the capture", "kind": "government_statement",
                       "author": zelenskyy, "published_on": "2025-01-01", "published_on_precision": "month"},
        "event": {"kind": "capture", "title": "Captured in Russia's Kursk region", "occurred_on": "2025-01-01",
                  "occurred_on_precision": "month", "place": "Kursk region", "country": "RU",
                  "people": [ri, paek], "governments": [gov["UA"]]},
    })  # fmt: skip
    # Fact 11: since late 2024, about 15,000 troops.
    article = api.post_(develop, {
        "new_source": {"title": "Two North Korean POWs plead to be transferred to South Korea",
                       "kind": "news_report", "language": "en", **Q4_2025},
        "event": {"kind": "other", "title": "North Korea sends about 15,000 troops to support Russia",
                  "occurred_on": "2024-10-01", "occurred_on_precision": "quarter",
                  "governments": [gov["KP"], gov["RU"]]},
    })["source"]["id"]  # fmt: skip
    # Fact 8: in February only one of them wanted to go.
    api.post_(develop, {"source": article, "event": {
        "kind": "detainee_statement", "title": "Only one expresses interest in resettling in South Korea",
        "occurred_on": "2025-02-01", "occurred_on_precision": "month", "people": [ri]}})  # fmt: skip
    # Facts 4, 5, 6, 7: this week's meeting near Kyiv, as Jang Se-yul tells it; both now ask.
    jang_source = api.post_(develop, {
        "new_source": {"title": "Jang Se-yul's account of the meeting", "kind": "ngo_statement", "author": jang,
                       "language": "ko", **Q4_2025},
        "event": {"kind": "interview", "title": "Both tearfully beg a documentary producer to go to South Korea",
                  **THIS_WEEK, "place": "detention facility near Kyiv", "country": "UA", "people": [ri, paek],
                  "actors": [{"actor": producer, "part": "met them"},
                             {"actor": jang, "part": "relayed the request"}]},
        "updates": {"requests": [transfer[ri]], "status": "stated", **THIS_WEEK,
                    "note": "Reaffirmed: now both ask, tearfully."},
    })["source"]["id"]  # fmt: skip
    # Fact 12: the healed jaw injury (photos released by Jang).
    api.post_(develop, {"source": jang_source, "event": {
        "kind": "medical", "title": "Photos show a healed jaw injury with visible deformity", **THIS_WEEK,
        "people": [ri], "sensitivity": "sensitive"}})  # fmt: skip
    # Fact 14: self-harm attempts, according to Ukrainian officials.
    api.post_(develop, {
        "new_source": {"title": "Ukrainian officials on self-harm attempts", "kind": "government_statement",
                       "author": officials, **Q4_2025},
        "event": {"kind": "welfare_incident", "title": "Both attempted self-harm", "occurred_on": None,
                  "occurred_on_precision": "unknown", "people": [ri, paek], "sensitivity": "sensitive"},
    })  # fmt: skip
    # Facts 16, 17, 18: the portraits and their two readings; Seoul's condition; the stall.
    api.post_(develop, {
        "source": article,
        "event": {"kind": "observation", "title": "Portraits of Kim Jong-un hang in their quarters", **THIS_WEEK,
                  "people": [ri, paek], "interpretation": "Continued loyalty, or fear of repercussions.",
                  "interpretation_confidence": "possible"},
        "position": {"involvement": involvement["KR"], "requests": list(transfer.values()),
                     "stance": "conditional", "condition": "Will accept them if their intentions are verified.",
                     "stated_on": "2025-10-01", "stated_on_precision": "quarter"},
        "updates": {"requests": list(transfer.values()), "status": "stalled", **THIS_WEEK,
                    "note": "No official agreement reached."},
    })  # fmt: skip
    # Fact 20: both countries weigh legal and political consequences.
    api.post_(develop, {"source": article, "position": {
        "involvement": involvement["UA"], "stance": "under_consideration", "spoken_by": officials,
        "condition": "Weighing legal and political consequences.", "stated_on": "2025-10-01",
        "stated_on_precision": "quarter"}})  # fmt: skip
    # Fact 19: asylum would align with South Korea's humanitarian obligations.
    bases = {b["name"]: b["id"] for b in api.get_("legal-bases/?page_size=100")["results"]}
    for request in transfer.values():
        api.post_("legal-arguments/", {
            "case": case["id"], "request": request, "basis": bases["Humanitarian obligations of the receiving state"],
            "argument": "Granting them asylum would align with South Korea's humanitarian obligations.",
            "argued_by": advocates, "source": article})  # fmt: skip
    return ref


def test_a_new_user_records_the_seed_article_through_the_api_and_reads_every_fact_back(newcomer):
    api = CountingClient()
    ref = record_the_article(api)
    assert api.calls == CALLS_TO_RECORD, f"recording the article took {api.calls} calls"

    api.calls = 0
    people = {p["display_name"]: p for p in api.get_("people/?page_size=10")["results"]}
    requests = api.get_(f"requests/?case={ref}&page_size=50")["results"]
    events = {e["kind"]: e for e in api.get_(f"events/?case={ref}&page_size=50")["results"]}
    positions = api.get_(f"positions/?case={ref}&page_size=50")["results"]
    sources = {s["title"]: s for s in api.get_("sources/?page_size=50")["results"]}
    arguments = api.get_(f"legal-arguments/?case={ref}")["results"]
    assert api.calls == CALLS_TO_READ

    ri, paek = people["Ri Jong Chol"], people["Paek Kwang Hyok"]
    # 1, 3, 12, 13, 19: who they are, their age, the injury, their state, the risk.
    assert {(p["nationality"], p["legal_status"]) for p in (ri, paek)} == {("KP", "prisoner_of_war")}
    assert (ri["birth_year_earliest"], ri["birth_year_latest"]) == (1995, 2005)
    assert "jaw injury" in ri["identifying_features"] and ri["risk_level"] == "extreme"
    assert "emotional distress" in ri["detentions"][0]["conditions"] and ri["detentions"][0]["locality"] == "near Kyiv"
    # 2, 8, 15, 18: the requests, their story and the supplies.
    transfers = [r for r in requests if r["category"] == "transfer"]
    assert {(r["destination_country"], r["status"]) for r in transfers} == {("KR", "stalled")}
    ri_transfer = next(r for r in transfers if r["person_name"].startswith("Ri Jong Chol"))
    assert ri_transfer["first_stated_on_display"] == "February 2025"
    assert [u["status"] for u in ri_transfer["updates"]] == ["stated", "stalled"]
    assert sorted(r["summary"] for r in requests if r["category"] != "transfer") == sorted(
        ["Medicine", "Warm clothes", "Cigarettes", "Books"] * 2
    )
    # 4, 5, 6, 7: the meeting, who was there, who tells it.
    meeting = events["interview"]
    assert (meeting["occurred_on_display"], meeting["place"]) == ("Q4 2025", "detention facility near Kyiv")
    assert {(a["name"].split(",")[0], a["part"]) for a in meeting["actors_present"]} == {
        ("South Korean documentary producer", "met them"),
        ("Jang Se-yul (장세율)", "relayed the request"),
    }
    assert sources["Jang Se-yul's account of the meeting"]["author_name"].startswith("Jang Se-yul (장세율), head")
    # 9, 11, 14: capture announced by Zelenskyy; the troops; the self-harm (a sensitive event).
    assert events["capture"]["place"] == "Kursk region"
    assert sources["Zelenskyy announces the capture"]["author_name"] == "Volodymyr Zelenskyy, President"
    assert events["other"]["occurred_on_display"] == "Q4 2024"
    assert events["welfare_incident"]["sensitivity"] == "sensitive"
    # 16: the observation and its reading.
    portraits = events["observation"]
    assert (portraits["interpretation"], portraits["interpretation_confidence"]) == (
        "Continued loyalty, or fear of repercussions.",
        "possible",
    )
    # 17, 20: Seoul's condition on both requests; Kyiv weighing, as its officials say.
    stances = {(p["involvement_name"].split(" (")[0], p["stance"]) for p in positions}
    assert stances == {("South Korea", "conditional"), ("Ukraine", "under_consideration")}
    weighing = next(p for p in positions if p["stance"] == "under_consideration")
    assert weighing["spoken_by_name"] == "Ukrainian officials"
    # 19: the argument, with its basis.
    assert {(a["basis_name"], a["argued_by_name"]) for a in arguments} == {
        ("Humanitarian obligations of the receiving state", "Human rights advocates")
    }
