"""python manage.py demo_user: create (or reset) the demo login and print it."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEFAULT_PASSWORD = "vigil-demo-2025"  # noqa: S105 - a demo login for a local machine, printed on purpose


class Command(BaseCommand):
    help = "Create or reset the demo superuser (DEMO_USERNAME / DEMO_PASSWORD) and print its login."

    def handle(self, *args, **options):
        username = os.environ.get("DEMO_USERNAME", "demo")
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": "Demo", "last_name": "Advocate"},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Demo login: {username} / {password}"))
