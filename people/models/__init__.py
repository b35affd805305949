"""People in detention, their names in every script, identifiers and detentions."""

from people.models.choices import IdentifierKind, LegalStatus, NameKind, PairStatus, PersonStatus, RiskLevel, Sex
from people.models.detentions import Detention
from people.models.duplicates import DuplicatePair, PersonMerge, PersonSearch
from people.models.persons import NameKeysMixin, Person, PersonIdentifier, PersonName, script_language

__all__ = [
    "Detention",
    "DuplicatePair",
    "IdentifierKind",
    "LegalStatus",
    "NameKeysMixin",
    "NameKind",
    "PairStatus",
    "Person",
    "PersonIdentifier",
    "PersonMerge",
    "PersonName",
    "PersonSearch",
    "PersonStatus",
    "RiskLevel",
    "Sex",
    "script_language",
]
