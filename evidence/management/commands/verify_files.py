"""python manage.py verify_files: re-hash every stored evidence file."""

from django.core.management.base import BaseCommand

from evidence.verification import verify_all


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence file and report any whose bytes no longer match their SHA-256, "
        "any missing file and any orphan. Resumes an interrupted run; --restart starts over."
    )

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help="Start a new run instead of resuming one.")

    def handle(self, *args, restart=False, **options):
        def progress(done, total, blob, result):
            if result != "ok" or done == total or done % 100 == 0 or options["verbosity"] > 1:
                self.stdout.write(f"[{done}/{total}] {blob.sha256} {result}")

        run = verify_all(restart=restart, progress=progress)
        summary = (
            f"Checked {run.checked} stored files: {len(run.mismatched)} changed, "
            f"{len(run.missing)} missing, {len(run.orphans)} orphans."
        )
        for sha in run.mismatched:
            self.stdout.write(self.style.ERROR(f"CHANGED  {sha}"))
        for sha in run.missing:
            self.stdout.write(self.style.ERROR(f"MISSING  {sha}"))
        for name in run.orphans:
            self.stdout.write(self.style.WARNING(f"ORPHAN   {name}"))
        self.stdout.write(self.style.SUCCESS(summary) if run.is_clean else self.style.ERROR(summary))
