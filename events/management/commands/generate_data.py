"""python manage.py generate_data --cases 1000000 --seed 1: a realistic caseload for benchmarks (events/generate/)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from events.generate import generate


class Command(BaseCommand):
    help = "Generate a realistic caseload with PostgreSQL COPY (see events/generate/). Adds to what is there."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000, help="how many cases (default 10,000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")

    def handle(self, *args, cases, seed, **options):
        if cases < 1:
            raise CommandError(gettext("--cases must be at least 1."))
        counts = generate(cases, seed, out=self.stdout)
        seconds = counts.pop("seconds")
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {seconds:,.1f}s."))
