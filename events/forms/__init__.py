"""Dashboard forms for the timeline: choosing or describing a source (sources.py), adding an event
(event.py), recording a development, one part per kind of fact (developments.py).
"""

from events.forms.developments import DevelopmentForms
from events.forms.event import EventForm
from events.forms.sources import NEW_SOURCE_FIELDS, SourceFieldsMixin, spoken_by_field

__all__ = ["NEW_SOURCE_FIELDS", "DevelopmentForms", "EventForm", "SourceFieldsMixin", "spoken_by_field"]
