"""``manage.py import_records FILE --mapping NAME|FILE [--dry-run] [--case REF]``: bring a spreadsheet in.

The dry run prints what each row would do (and writes the rejected rows, with
an error column, beside the file); without ``--dry-run`` the rows are then
committed in chunks with a progress line, resumable with ``--resume BATCH``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from exchange import imports
from exchange.models import ImportBatch, ImportMapping, ImportMode
from exchange.phrases import shown_report
from exchange.readers import FileProblem


class Command(BaseCommand):
    help = "Import people, cases, detentions, requests and notes from a CSV or XLSX file (dry run first)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file")
        parser.add_argument("--mapping", help="a saved mapping's name, or a JSON mapping file")
        parser.add_argument("--user", required=True, help="the data manager importing (history names them)")
        parser.add_argument("--dry-run", action="store_true", help="classify every row, write nothing")
        parser.add_argument("--case", default="", help="put every row in this case (its reference)")
        parser.add_argument("--confidentiality", default="normal", help="of the cases the import creates")
        parser.add_argument("--team", default="", help="usernames (comma-separated) on the team of new cases")
        parser.add_argument("--encoding", default="", help="the CSV's encoding when guessing fails (cp1251, ...)")
        parser.add_argument("--delimiter", default="", help="the CSV's delimiter when guessing fails")
        parser.add_argument("--sheet", default="", help="the XLSX sheet (default: the first)")
        parser.add_argument("--update-only", action="store_true", help="update and link only; create no one")
        parser.add_argument("--resume", type=int, help="resume the stopped batch with this id")
        parser.add_argument("--undo", type=int, help="undo the batch with this id (to the bin)")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(gettext("No user %(user)s.") % {"user": options["user"]}) from None
        try:
            if options["undo"]:
                batch = imports.import_undo(batch=self._batch(options["undo"]), user=user)
                self.stdout.write(f"Batch #{batch.pk} undone: what it created is in the bin.")
                return
            batch = self._batch(options["resume"]) if options["resume"] else self._check(user, options)
            if options["dry_run"] and not options["resume"]:
                return
            total = batch.dry_run_counts.get("rows", 0)
            batch = imports.import_commit(batch=batch, user=user, progress=lambda done: self._progress(done, total))
            self.stderr.write("")
            self.stdout.write(f"Imported batch #{batch.pk}: {self._counts(batch.counts)}")
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        except ValidationError as error:
            raise CommandError(self._problems(error)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None

    def _batch(self, pk: int) -> ImportBatch:
        batch = ImportBatch.objects.filter(pk=pk).first()
        if batch is None:
            raise CommandError(gettext("No import batch #%(pk)s.") % {"pk": pk})
        return batch

    def _check(self, user, options) -> ImportBatch:
        if not options["file"] or not options["mapping"]:
            raise CommandError(gettext("Give the FILE and --mapping (a saved mapping's name or a JSON file)."))
        spec, name = self._mapping(options["mapping"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(gettext("No file %(path)s.") % {"path": path})
        with path.open("rb") as handle:
            batch = imports.import_check(
                user=user,
                file=handle,
                filename=path.name,
                mapping_spec=spec,
                mapping_name=name,
                options={
                    "case": options["case"],
                    "confidentiality": options["confidentiality"],
                    "team": [u for u in options["team"].split(",") if u],
                    "encoding": options["encoding"],
                    "delimiter": options["delimiter"],
                    "sheet": options["sheet"],
                },
                mode=ImportMode.UPDATE_ONLY if options["update_only"] else ImportMode.ALL,
            )
        self.stdout.write(f"Dry run of batch #{batch.pk} ({batch.sha256[:12]}…): {self._counts(batch.dry_run_counts)}")
        for row in shown_report(batch.report):
            if row["action"] == "create" and not row["warnings"]:
                continue
            line = f"  row {row['row']}: {row['action']}"
            if row["person"]:
                line += f" {row['person']['name']} (#{row['person']['id']})"
            details = row["reasons"] + row["changes"] + row["warnings"]
            details += [f"{e['column'] or e['field']}: {e['message']}" for e in row["errors"]]
            self.stdout.write(line + (": " + "; ".join(details) if details else ""))
        if batch.dry_run_counts.get("error"):
            rejected = path.with_name(f"{path.stem}.rejected.csv")
            with rejected.open("w", encoding="utf-8-sig", newline="") as out:
                for chunk in imports.rejected_rows_csv(batch=batch, user=user):
                    out.write(chunk)
            self.stdout.write(f"Rejected rows, with an errors column: {rejected}")
        return batch

    def _mapping(self, value: str) -> tuple[dict, str]:
        saved = ImportMapping.objects.filter(name=value).first()
        if saved:
            return saved.spec, saved.name
        path = Path(value)
        if not path.is_file():
            raise CommandError(gettext("No saved mapping and no file called %(value)s.") % {"value": value})
        try:
            return json.loads(path.read_text(encoding="utf-8")), ""
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(
                gettext("%(value)s is not a JSON mapping: %(error)s") % {"value": value, "error": error}
            ) from None

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows")
        sys.stderr.flush()

    @staticmethod
    def _counts(counts: dict) -> str:
        return ", ".join(f"{counts.get(a, 0)} {a}" for a in imports.ACTIONS)

    @staticmethod
    def _problems(error: ValidationError) -> str:
        if hasattr(error, "message_dict"):
            return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        return " ".join(error.messages)
