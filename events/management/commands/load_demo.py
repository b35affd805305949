"""python manage.py load_demo: record the seed article's case (idempotent)."""

from django.core.management.base import BaseCommand

from events.demo import demo_lead, load_demo


class Command(BaseCommand):
    help = "Record the demo case (the seed article). Running it again changes nothing."

    def handle(self, *args, **options):
        case = load_demo(lead=demo_lead())
        if case is None:
            self.stdout.write("The demo case is already loaded; nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo case {case.reference}: {case.title}"))
