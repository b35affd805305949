"""Sources, the events of a case's timeline, and citations tying facts to sources."""

from events.models.choices import Confidence, EventKind, Reliability, Sensitivity, SourceConnection, SourceKind
from events.models.citations import CITED_FIELDS, Citation
from events.models.events import Event, EventActor, EventGovernment, EventPerson, sort_date
from events.models.sources import Source

__all__ = [
    "CITED_FIELDS",
    "Citation",
    "Confidence",
    "Event",
    "EventActor",
    "EventGovernment",
    "EventKind",
    "EventPerson",
    "Reliability",
    "Sensitivity",
    "Source",
    "SourceConnection",
    "SourceKind",
    "sort_date",
]
