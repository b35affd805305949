"""What the attack tests (tests/test_attacks*.py) judge a response by: whether it
leaks anything of the restricted case, and every leak collected into one failure."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlparse

from tests.attack_surface import snapshot

ATTACKERS = ["outsider", "viewer", "anonymous"]
REFUSALS = {401, 403, 404, 405}


def leaks(world, response) -> list[str]:
    """What of the restricted case this response gives away (a page that repeats
    the attacker's own search words gives nothing away: those are left out)."""
    typed = unquote_plus(response.wsgi_request.META.get("QUERY_STRING", "")).lower()
    secrets = [word for word in world.secrets() if word.lower() not in typed]
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # a file download
    body = raw.decode(errors="replace")
    found = [word for word in secrets if word.lower() in body.lower()]
    location = urlparse(response.headers.get("Location", "")).path  # not ?next=, the attacker's own URL
    found += [f"Location: {location}" for word in secrets if word.lower() in location.lower()]
    return found


def result_ids(response) -> list[int]:
    if response.status_code != 200 or not response.headers.get("Content-Type", "").startswith("application/json"):
        return []
    data = response.json()
    rows = data.get("results", []) if isinstance(data, dict) else data
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row]


class Verdicts:
    """Collects every leak so one failure lists them all."""

    def __init__(self, world):
        self.world, self.found = world, []

    def check(self, label: str, response, *, allowed: set[int], ids_of=None):
        problems = leaks(self.world, response)
        if response.status_code not in allowed:
            problems.append(f"status {response.status_code}")
        if ids_of is not None:
            shown = set(result_ids(response)) & set(self.world.ids(ids_of))
            problems += [f"{ids_of.__name__} ids {sorted(shown)}"] if shown else []
        if problems:
            self.found.append(f"{label} → {response.status_code}: {', '.join(problems)}")

    def assert_none(self, before):
        assert not self.found, "\n".join(self.found)
        assert snapshot() == before, "an attack changed the database"
