"""python manage.py evidence_key: the public key of custody manifests, or a new private key."""

from django.core.management.base import BaseCommand

from evidence import signing


class Command(BaseCommand):
    help = "Print the public key that checks custody manifests (PEM); --new prints a new EVIDENCE_SIGNING_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="Make a new private key for EVIDENCE_SIGNING_KEY.")

    def handle(self, *args, new=False, **options):
        if new:
            self.stdout.write(f"EVIDENCE_SIGNING_KEY={signing.new_private_key()}")
        else:
            self.stdout.write(signing.public_key_pem(), ending="")
