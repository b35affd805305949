"""python manage.py export_evidence CASE: the case's files, derived copies and signed manifest in one zip."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from casework.models import Case
from casework.view_log import export_record
from core.history import Channel
from evidence import selectors
from evidence.packing import write_archive


class Command(BaseCommand):
    help = (
        "Pack a case's evidence files, their derived copies and the signed custody manifest "
        "(with the public key and how to verify) into one zip for a legal partner. Logged as an export."
    )

    def add_arguments(self, parser):
        parser.add_argument("case", help="The case's reference (VIG-2025-0001).")
        parser.add_argument("--output", "-o", help="The zip to write (default: evidence-<reference>.zip).")
        parser.add_argument("--user", required=True, help="Who exports (a username): only what they may see is packed.")

    def handle(self, *args, case, output=None, user, **options):
        exporter = get_user_model().objects.filter(username=user, is_active=True).first()
        if exporter is None:
            raise CommandError(gettext("No active user %(user)s.") % {"user": repr(user)})
        found = Case.objects.visible_to(exporter).filter(reference=case.upper()).first()
        if found is None:
            raise CommandError(gettext("No case %(case)s that %(user)s may see.") % {"case": case, "user": user})
        report = selectors.custody_report(case=found, user=exporter)
        target = Path(output or f"evidence-{found.reference}.zip")
        with target.open("wb") as out:
            packed = write_archive(out, report, with_files=True)
        export_record(
            user=exporter, what=f"evidence {found.reference}", rows=packed, channel=Channel.COMMAND, query=str(target)
        )
        self.stdout.write(self.style.SUCCESS(f"Packed {packed} files and the signed manifest into {target}."))
