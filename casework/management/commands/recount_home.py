"""``manage.py recount_home``: rebuild the home page's counters from the tables.

The database keeps them exact by triggers (casework/counting_sql.py); this is for
after a restore of some tables only, or to check them (``--check`` rebuilds in a
transaction rolled back and says whether anything differed).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext

from casework.models import HomeCount


def _kept() -> list[tuple]:
    return sorted(HomeCount.objects.filter(n__gt=0).values_list("figure", "open", "status", "minor", "moved_on", "n"))


class Command(BaseCommand):
    help = "Rebuild (or with --check, only compare) the home page's counters from the tables."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; change nothing")

    def handle(self, *args, check: bool = False, **options):
        with transaction.atomic():
            before = _kept()
            with connection.cursor() as cursor:
                cursor.execute("SELECT vigil_recount_all()")
            same = before == _kept()
            if check:
                transaction.set_rollback(True)
        if check and not same:
            raise CommandError(
                gettext("The home page's counters differ from the tables: run recount_home to rebuild them.")
            )
        self.stdout.write("Counters agree with the tables." if same else "Counters rebuilt.")
