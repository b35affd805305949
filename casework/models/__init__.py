"""Cases, what detainees asked for, the governments involved and what they said."""

from casework.models.actors import Actor, Government, LegalBasis
from casework.models.cases import Case, CaseMember, CaseSubject, ReferenceCounter
from casework.models.choices import (
    MINOR_CATEGORIES,
    SETTLED_REQUEST_STATUSES,
    ActorKind,
    CaseStatus,
    Confidentiality,
    FreelyExpressed,
    GovernmentKind,
    GovernmentRole,
    InterventionKind,
    InterventionStatus,
    Priority,
    RequestCategory,
    RequestChannel,
    RequestStatus,
    Stance,
    SubjectRole,
)
from casework.models.counts import CountedDetainee, CountedRequest, HomeCount
from casework.models.notes import CaseNote, CaseView, ExportLog, FollowUp
from casework.models.positions import Intervention, Involvement, LegalArgument, PositionStatement
from casework.models.requests import LAST_MOVED_SQL, REQUEST_MOVED_SQL, RequestUpdate, StatedRequest

__all__ = [
    "LAST_MOVED_SQL",
    "MINOR_CATEGORIES",
    "REQUEST_MOVED_SQL",
    "SETTLED_REQUEST_STATUSES",
    "Actor",
    "ActorKind",
    "Case",
    "CaseMember",
    "CaseNote",
    "CaseStatus",
    "CaseSubject",
    "CaseView",
    "Confidentiality",
    "CountedDetainee",
    "CountedRequest",
    "ExportLog",
    "FollowUp",
    "FreelyExpressed",
    "Government",
    "GovernmentKind",
    "GovernmentRole",
    "HomeCount",
    "Intervention",
    "InterventionKind",
    "InterventionStatus",
    "Involvement",
    "LegalArgument",
    "LegalBasis",
    "PositionStatement",
    "Priority",
    "ReferenceCounter",
    "RequestCategory",
    "RequestChannel",
    "RequestStatus",
    "RequestUpdate",
    "Stance",
    "StatedRequest",
    "SubjectRole",
]
