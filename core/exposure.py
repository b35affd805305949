"""Every field of every model, sorted by who may read it: an allow-list.

- ``SHOWN``: shown to every user who may see the record (admin, API, dashboard, history, exports);
- ``SENSITIVE``: only to users with ``people.view_sensitive`` (``casework.access.sees_sensitive``);
- ``NEVER``: never exposed as a field: derived columns (search keys), the bin's
  bookkeeping, who recorded a record, and the data managers' own logs.

A field not listed here is not classified, and ``tests/test_exposure.py`` fails
until someone decides which it is: a new field is never shown by default
through a forgotten deny-list. The classification drives the admin's forms,
lists and filters (``core.admin.VigilAdmin.hidden_fields``), the API's
serializers (``core.api.serializers.VigilModelSerializer``), history pages
(``core.history.readable_history``) and the CSV export (its columns are shown
fields, a test checks it).

``SENSITIVE_ROWS`` are whole records that are sensitive by their values (a
service number, a welfare incident): the access rules hide them (people and
events querysets), and history hides what such a record once held.
"""

from __future__ import annotations

SHOWN, SENSITIVE, NEVER = "shown", "sensitive", "never"

_RECORD = ("id", "created_at", "updated_at", "version")
_BIN = ("deleted_at", "deleted_by")

EXPOSURE: dict[str, dict[str, tuple[str, ...]]] = {
    "people.Person": {
        SHOWN: (
            *_RECORD,
            "display_name",
            "name_original",
            "sex",
            "birth_date",
            "birth_date_precision",
            "age_estimate",
            "place_of_birth",
            "nationality",
            "legal_status",
            "status",
            "description",
            "identifying_features",
            "rank",
            "unit",
            "depends_on",
        ),
        # Health and welfare, family and GC III details, the risk assessment.
        SENSITIVE: (
            "health_notes",
            "welfare_notes",
            "father_first_name",
            "mother_maiden_name",
            "person_to_inform",
            "risk_level",
            "risk_reason",
        ),
        # merged_into: read by the redirect of a merged person's old page and id, never shown as a field.
        NEVER: (*_BIN, "name_keys", "created_by", "merged_into"),
    },
    # The data managers' duplicate review and its merges (people/duplicates.py): their own pages only.
    "people.DuplicatePair": {
        NEVER: ("id", "person_a", "person_b", "score", "reasons", "status", "found_at", "decided_by", "decided_at")
    },
    "people.PersonMerge": {
        NEVER: (
            "id",
            "survivor",
            "merged",
            "merged_by",
            "merged_at",
            "survivor_before",
            "moved",
            "names_added",
            "undone_at",
            "undone_by",
        )
    },
    "people.PersonName": {SHOWN: (*_RECORD, "person", "name", "kind", "language", "note"), NEVER: ("name_keys",)},
    "people.PersonIdentifier": {SHOWN: (*_RECORD, "person", "kind", "value", "issuer")},
    "people.Detention": {
        SHOWN: (
            *_RECORD,
            "person",
            "facility",
            "locality",
            "region",
            "country",
            "authority",
            "started_on",
            "started_on_precision",
            "ended_on",
            "ended_on_precision",
            "conditions",
        )
    },
    "casework.Government": {SHOWN: (*_RECORD, "name", "kind", "country")},
    "casework.ReferenceCounter": {NEVER: ("year", "last_number")},
    "casework.Case": {
        SHOWN: (
            *_RECORD,
            "reference",
            "title",
            "summary",
            "status",
            "priority",
            "confidentiality",
            "lead",
            "opened_on",
            "closed_on",
            "next_review_on",
            "tags",
            "team",
        ),
        NEVER: (*_BIN, "search_vector"),
    },
    "casework.CaseMember": {SHOWN: (*_RECORD, "case", "user")},
    "casework.CaseSubject": {SHOWN: (*_RECORD, "case", "person", "role")},
    "casework.StatedRequest": {
        SHOWN: (
            *_RECORD,
            "case",
            "person",
            "category",
            "summary",
            "words",
            "destination_country",
            "addressed_to",
            "first_stated_on",
            "first_stated_on_precision",
            "channel",
            "status",
            "status_changed_at",
            "last_moved_on",
            "freely_expressed",
            "freely_verified_by",
            "freely_verified_on",
        ),
        NEVER: _BIN,
    },
    "casework.RequestUpdate": {
        SHOWN: (
            *_RECORD,
            "request",
            "previous_status",
            "status",
            "occurred_on",
            "occurred_on_precision",
            "note",
            "source",
            "recorded_by",
        )
    },
    "casework.Involvement": {SHOWN: (*_RECORD, "case", "government", "role", "notes")},
    "casework.PositionStatement": {
        SHOWN: (
            *_RECORD,
            "involvement",
            "request",
            "stated_on",
            "stated_on_precision",
            "stance",
            "condition",
            "condition_request",
            "statement_original",
            "statement_language",
            "statement_translation",
            "source",
            "recorded_by",
            "statement_key",
        )
    },
    "casework.Intervention": {
        SHOWN: (
            *_RECORD,
            "case",
            "kind",
            "government",
            "request",
            "occurred_on",
            "occurred_on_precision",
            "asked",
            "status",
            "response",
            "made_by",
        )
    },
    "casework.CaseNote": {SHOWN: (*_RECORD, "case", "author", "body")},
    "casework.FollowUp": {SHOWN: (*_RECORD, "case", "title", "due_on", "assignee", "done_at", "notes")},
    # The data managers' logs: read in their admin pages only (casework.view_caseview, view_exportlog).
    "casework.CaseView": {
        NEVER: ("id", "case", "case_reference", "user", "username", "at", "channel", "what", "ip_address")
    },
    "casework.ExportLog": {
        NEVER: ("id", "user", "username", "at", "channel", "what", "query", "rows", "ip_address", "profile", "sha256")
    },
    "events.Source": {
        SHOWN: (
            *_RECORD,
            "kind",
            "title",
            "publisher",
            "url",
            "language",
            "published_on",
            "published_on_precision",
            "reliability",
            "connection",
            "notes",
        ),
        NEVER: (*_BIN, "search_vector"),
    },
    "events.Event": {
        SHOWN: (
            *_RECORD,
            "case",
            "occurred_on",
            "occurred_on_precision",
            "kind",
            "title",
            "description",
            "place",
            "country",
            "sensitivity",
            "people",
            "governments",
        ),
        NEVER: (*_BIN, "search_vector"),
    },
    "events.EventPerson": {SHOWN: (*_RECORD, "event", "person")},
    "events.EventGovernment": {SHOWN: (*_RECORD, "event", "government")},
    "events.Citation": {
        SHOWN: (*_RECORD, "source", "event", "request", "request_update", "position", "locator", "confidence")
    },
    # Evidence files (evidence/): what a photo's metadata says (GPS, a camera's serial) can endanger a source.
    "evidence.StoredBlob": {
        SHOWN: ("id", "sha256", "size", "media_type", "extension", "created_at", "checked_at", "check_result"),
        SENSITIVE: ("metadata",),
    },
    "evidence.EvidenceFile": {
        SHOWN: (
            *_RECORD,
            "case",
            "blob",
            "original_name",
            "description",
            "source",
            "sensitive",
            "uploaded_by",
            "channel",
            "derived_from",
            "original",
            "derivation",
            "derivation_note",
        ),
        NEVER: _BIN,
    },
    "evidence.FileLink": {SHOWN: (*_RECORD, "file", "event", "person", "request", "intervention")},
    # The download log and verification runs: data managers' pages only; an upload in progress: its uploader's.
    "evidence.FileDownload": {
        NEVER: ("id", "file", "sha256", "variant", "case_reference", "user", "username", "at", "channel", "ip_address")
    },
    "evidence.VerificationRun": {
        NEVER: ("id", "started_at", "finished_at", "last_blob_id", "checked", "mismatched", "missing", "orphans")
    },
    "evidence.UploadSession": {
        NEVER: (
            "id",
            "user",
            "case",
            "source",
            "name",
            "size",
            "received",
            "sensitive",
            "description",
            "created_at",
            "file",
        )
    },
}

#: Records sensitive by their values: (field, values) any of which makes the whole record sensitive.
SENSITIVE_ROWS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "people.PersonIdentifier": (("kind", ("service_number",)),),
    "events.Event": (("sensitivity", ("sensitive",)), ("kind", ("welfare_incident",))),
}


def fields(label: str, kind: str) -> tuple[str, ...]:
    """The fields of model ``label`` ("people.Person") of one kind (SHOWN, SENSITIVE, NEVER)."""
    return EXPOSURE[label].get(kind, ())


def api_fields(label: str, *extra: str) -> tuple[str, ...]:
    """An API serializer's ``Meta.fields``: ``id``, ``url``, the model's shown and
    sensitive fields (the sensitive ones then dropped for who may not read them), and
    ``extra`` (what the serializer nests or computes). Never-exposed fields never are."""
    readable = (*fields(label, SHOWN), *fields(label, SENSITIVE), *extra)
    return tuple(dict.fromkeys(("id", "url", *readable)))


def hidden_from(model, user) -> set[str]:
    """Field names of ``model`` that ``user`` may not read: never-exposed ones, and
    sensitive ones without ``people.view_sensitive``. Models not classified (users,
    history tables) hide nothing here: they are not Vigil's domain records."""
    from casework.access import sees_sensitive

    entry = EXPOSURE.get(model._meta.label)
    if entry is None:
        return set()
    hidden = set(entry.get(NEVER, ()))
    if not sees_sensitive(user):
        hidden |= set(entry.get(SENSITIVE, ()))
    return hidden


#: The refusal of a value only those who may read it may write (it answers the same whatever exists).
SENSITIVE_VALUE_REFUSED = "Only users who may see sensitive details record this."


def guarded_values(model) -> dict[str, tuple[str, ...]]:
    """Values that make a record sensitive and that a uniqueness rule checks (a
    service number's kind): written only by who may read them, or "this person already
    has this identifier" would tell someone who may not that a hidden number exists
    (and a wrong guess would create a record its author cannot see)."""
    from django.db.models import UniqueConstraint

    unique = {name for constraint in model._meta.constraints if isinstance(constraint, UniqueConstraint)
              for name in constraint.fields}  # fmt: skip
    return {name: values for name, values in SENSITIVE_ROWS.get(model._meta.label, ()) if name in unique}


def is_sensitive_row(model, data: dict) -> bool:
    """Whether a record of ``model`` with these values is sensitive as a whole."""
    return any(data.get(name) in values for name, values in SENSITIVE_ROWS.get(model._meta.label, ()))
