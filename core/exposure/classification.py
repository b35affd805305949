"""The classification itself: every field of every model, as SHOWN, SENSITIVE or NEVER
(what each means: ``core/exposure/__init__.py``). A new field is classified here."""

from __future__ import annotations

SHOWN, SENSITIVE, NEVER = "shown", "sensitive", "never"

_RECORD = ("id", "created_at", "updated_at", "version")


def _names(names: str) -> tuple[str, ...]:
    """Field names written as one space-separated string."""
    return tuple(names.split())


def _never(names: str) -> dict[str, tuple[str, ...]]:
    """A record never exposed as fields: its own pages only."""
    return {NEVER: _names(names)}


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
            "birth_year_earliest",
            "birth_year_latest",
            "place_of_birth",
            "nationality",
            "legal_status",
            "status",
            "description",
            "rank",
            "unit",
            "depends_on",
        ),
        # Health and welfare, family and GC III details, the risk assessment.
        SENSITIVE: (
            "identifying_features",  # scars, injuries: what would single a detainee out
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
    # The name search's own index (people.PersonSearch): derived, never shown.
    "people.PersonSearch": {NEVER: ("person", "display_name", "keys")},
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
    # Actors are reference data like governments; their links to a case live on the case's records.
    "casework.Actor": {
        SHOWN: (
            *_RECORD,
            "kind",
            "name",
            "name_original",
            "other_names",
            "role",
            "organisation",
            "government",
            "country",
            "description",
        ),
        NEVER: ("name_keys",),
    },
    "casework.LegalBasis": {SHOWN: (*_RECORD, "name", "instrument", "summary", "url")},
    "casework.LegalArgument": {
        SHOWN: (*_RECORD, "case", "basis", "request", "intervention", "argument", "argued_by", "source")
    },
    "casework.ReferenceCounter": {NEVER: ("year", "last_number")},
    # The home page's counters and what each request or detainee counts as (casework/counts.py): figures, no one's data.
    "casework.HomeCount": {NEVER: ("id", "figure", "open", "status", "minor", "moved_on", "n")},
    "casework.CountedRequest": {NEVER: ("request_id", "case_id", "subject", "open", "status", "minor", "moved_on")},
    "casework.CountedDetainee": {NEVER: ("person_id", "open", "status")},
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
            "words_language",
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
            "source",
            "recorded_by",
            "statement_key",
            "spoken_by",
        )
    },
    "casework.Intervention": {
        SHOWN: (
            *_RECORD,
            "case",
            "kind",
            "government",
            "addressed_to_actor",
            "request",
            "occurred_on",
            "occurred_on_precision",
            "asked",
            "status",
            "response",
            "made_by",
        )
    },
    "casework.CaseNote": {SHOWN: (*_RECORD, "case", "author", "body", "language")},
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
            "author",
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
            "language",
            "place",
            "country",
            "sensitivity",
            "people",
            "governments",
            "actors",
            "interpretation",
            "interpretation_confidence",
        ),
        NEVER: (*_BIN, "search_vector"),
    },
    "events.EventPerson": {SHOWN: (*_RECORD, "event", "person")},
    "events.EventGovernment": {SHOWN: (*_RECORD, "event", "government")},
    "events.EventActor": {SHOWN: (*_RECORD, "event", "actor", "part")},
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
    # Translations of a record's free text (core.models.TextTranslation): read only through their record,
    # so they are shown exactly where the record is; who entered one is not.
    "core.TextTranslation": {
        SHOWN: (
            *_RECORD,
            "content_type",
            "object_id",
            "field",
            "language",
            "text",
            "kind",
            "translated_by",
            "checked",
            "checked_by",
        ),
        NEVER: ("created_by",),
    },
    # A user's own language and time zone: their account page only.
    "core.UserPreferences": {NEVER: ("id", "user", "language", "time_zone")},
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
    # ---- the users' own records: API tokens (hashed), follows, preferences, notifications.
    # Shown only to their owner on their own pages (account, notifications), never as
    # fields of the domain's records.
    "core.BackgroundWork": _never(
        "id kind title owner state done total message result_url error job_id attempts created_at started_at"
        " updated_at finished_at"
    ),
    "core.ApiToken": _never("digest token_key user created expiry name last_used second_factor"),
    "watch.Follow": _never("id user case person reason active created_at"),
    "watch.Preference": _never("id user trigger delivery"),
    "watch.WatchSettings": _never("id user digest quiet_from quiet_until last_digest_at"),
    "watch.Notification": _never(
        "id user trigger key case text message url restricted sensitive urgent created_at read_at email_state"
        " emailed_at in_digest"
    ),
    "watch.OutboxMessage": _never("id to subject body headers sent_at"),
    # ---- forced-return alerts: shown to whoever sees the case (home page, admin); a
    # summary that names a sensitive detail is a sensitive row (SENSITIVE_ROWS).
    "watch.Alert": {
        **_never("key sensitive"),
        SHOWN: _names(
            "id rule case person summary message raised_at escalation_level escalated_at acknowledged_by acknowledged_at"
            " acknowledgement_note"
        ),
    },
    # ---- the change feed's bookkeeping: a partner reads the records themselves (watch/represent.py).
    "watch.Change": _never("id seq table object_id op case_id user_id actor_id at"),
    "watch.ChangeCursor": _never("id name seq"),
    # ---- the data managers' own pages: webhooks and deliveries, failed jobs, imports, exports.
    "watch.Webhook": _never("id owner url secret scope active consecutive_failures disabled_at created_at cases"),
    "watch.WebhookDelivery": _never(
        "id webhook body created_at attempts last_status_code last_error delivered_at failed_at log"
    ),
    "watch.JobFailure": _never("id job_id task_name args attempt error traceback will_retry failed_at"),
    "exchange.ImportMapping": _never("id name spec created_by updated_at"),
    "exchange.ImportBatch": _never(
        "id file filename sha256 size columns mapping mapping_name options mode state created_by created_at"
        " committed_at rows_done counts dry_run_counts report message undone_at undone_by deleted_at deleted_by"
    ),
    "exchange.ImportedRecord": _never("id batch row model object_id created before undone"),
    # A saved partner profile: its name and allow-list are what exporters choose by (data managers edit it).
    "exchange.ExportProfile": {SHOWN: _names("id name description fields updated_at"), NEVER: ("created_by",)},
    "exchange.PreparedExport": _never(
        "id profile format filters requested_by requested_at approved_by approved_at state file sha256 rows"
        " expires_at channel message"
    ),
}

#: Records sensitive by their values: (field, values) any of which makes the whole record sensitive.
SENSITIVE_ROWS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "people.PersonIdentifier": (("kind", ("service_number",)),),
    "events.Event": (("sensitivity", ("sensitive",)), ("kind", ("welfare_incident",))),
    "watch.Alert": (("sensitive", (True,)),),
}
