"""Make, list or revoke a user's API tokens from the server.

python manage.py api_token alice --name "weekly report"   # prints a new token, once
python manage.py api_token alice --list                   # name, start, expiry, last use
python manage.py api_token alice --revoke-all             # every token of alice stops working
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from core.api.tokens import issue_token
from core.models import ApiToken


class Command(BaseCommand):
    help = "Make (and print once), list or revoke a user's API tokens."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="made on the server", help="what the new token is for")
        parser.add_argument("--list", action="store_true", help="list the user's tokens instead")
        parser.add_argument("--revoke-all", action="store_true", help="revoke every token of the user instead")

    def handle(self, *args, **options):
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("No user %(user)s.") % {"user": repr(username)})
        tokens = ApiToken.objects.filter(user=user)
        if options["revoke_all"]:
            count, _ = tokens.delete()
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
        elif options["list"]:
            for token in tokens:
                self.stdout.write(
                    f"{token.token_key[:8]}…  {token.name}  made {token.created:%Y-%m-%d}  "
                    f"expires {token.expiry:%Y-%m-%d}  last used {token.last_used or 'never'}"
                )
        else:
            _instance, token = issue_token(
                user=user, name=options["name"], second_factor=True
            )  # whoever runs this is past every factor
            self.stdout.write(token)
