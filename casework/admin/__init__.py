"""Admin for casework, shaped like the work: a case page holds its people,
requests, governments and follow-ups; a request page holds its story; a
government's involvement holds its statements. One module per subject: cases.py,
requests.py (requests, positions, interventions), actors.py (governments, actors,
legal bases and arguments), notes.py; base.py the shared classes.

Request updates and position statements are only ever added, through
casework.services (the same functions as the API and the dashboard).
"""

from casework.admin import actors, cases, notes, requests  # noqa: F401  (each registers its models)
from casework.admin.cases import CaseViewAdmin

__all__ = ["CaseViewAdmin"]
