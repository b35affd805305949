"""`python manage.py doctor`: check a deployment and say, in plain words, what is wrong.

Each check prints one line, "ok" or "PROBLEM" and what to do; the command exits 1 when any problem was found
(so a cron job or a deploy pipeline can act on it). It changes nothing but a probe file in the file storage,
written and deleted again.
"""

from __future__ import annotations

import datetime
import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.utils.translation import ngettext

DEVELOPMENT_KEY_PREFIX = "development-only-key"
NON_DELIVERING_EMAIL = {
    "django.core.mail.backends.console.EmailBackend": "prints e-mails to the console",
    "django.core.mail.backends.locmem.EmailBackend": "keeps e-mails in memory",
    "django.core.mail.backends.dummy.EmailBackend": "throws e-mails away",
    "django.core.mail.backends.filebased.EmailBackend": "writes e-mails to files",
}


# Django's deployment checks this command words itself (DEBUG, SECRET_KEY, HTTPS redirect, HSTS, secure cookies).
COVERED_CHECKS = {"security.W018", "security.W009", "security.W008", "security.W004", "security.W012", "security.W016"}


class Command(BaseCommand):
    help = "Check this deployment (settings, HTTPS, second factors, backups, migrations, storage, e-mail) and say what is wrong."

    def add_arguments(self, parser):
        parser.add_argument("--backup-dir", help="where the backups are (default: BACKUP_DIR)")

    def handle(self, *args, backup_dir=None, **options):
        self.problems = 0
        self.check_settings()
        self.check_https()
        if self.check_database():
            self.check_second_factor()
        else:
            self.stdout.write("skipped  second factors: they are read from the database.")
        self.check_backups(Path(backup_dir) if backup_dir else Path(settings.BACKUP_DIR))
        self.check_cache()
        self.check_storage()
        self.check_email()
        if self.problems:
            raise CommandError(
                ngettext(
                    "%(count)s problem found: see the lines marked PROBLEM above.",
                    "%(count)s problem(s) found: see the lines marked PROBLEM above.",
                    self.problems,
                )
                % {"count": self.problems}
            )
        self.stdout.write("Everything checked is in order.")

    def ok(self, message: str) -> None:
        self.stdout.write(f"ok       {message}")

    def problem(self, message: str) -> None:
        self.problems += 1
        self.stdout.write(f"PROBLEM  {message}")

    # ---------------------------------------------------------------- the checks

    def check_settings(self) -> None:
        if settings.DEBUG:
            self.problem("DEBUG is on: error pages show code and settings to anyone. Set DEBUG=0.")
        else:
            self.ok("DEBUG is off.")
        key = settings.SECRET_KEY
        if key.startswith(DEVELOPMENT_KEY_PREFIX) or len(key) < 50 or len(set(key)) < 5:
            self.problem("SECRET_KEY is short, simple or the development one: make a new one (50+ random "
                         "characters, see docs/deploy.md, 'Rotating SECRET_KEY').")  # fmt: skip
        else:
            self.ok("SECRET_KEY is long and random-looking.")
        if "*" in settings.ALLOWED_HOSTS:
            self.problem("ALLOWED_HOSTS contains '*': name the host names Vigil answers to.")
        deploy_warnings = [
            message
            for message in checks.run_checks(include_deployment_checks=True)
            if message.level >= checks.WARNING and not message.is_silenced() and message.id not in COVERED_CHECKS
        ]
        for message in deploy_warnings:
            self.problem(f"Django's deployment check {message.id}: {message.msg}")
        if not deploy_warnings:
            self.ok("Django's other deployment checks (check --deploy) pass.")

    def check_https(self) -> None:
        redirects = settings.SECURE_SSL_REDIRECT
        behind_proxy = settings.SECURE_PROXY_SSL_HEADER is not None
        if not (redirects and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
            self.problem("HTTPS is not enforced: set SECURE_SSL_REDIRECT=1 with DEBUG=0, so plain HTTP is "
                         "redirected and cookies are only sent over HTTPS.")  # fmt: skip
        elif settings.SECURE_HSTS_SECONDS < 86400:
            self.problem("HSTS is off or shorter than a day: set SECURE_HSTS_SECONDS=31536000.")
        else:
            how = "behind a TLS proxy (X-Forwarded-Proto trusted)" if behind_proxy else "TLS expected at Vigil itself"
            self.ok(f"HTTPS enforced: redirect, secure cookies, HSTS; {how}.")

    def check_second_factor(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if not settings.REQUIRE_TWO_FACTOR:
            self.problem("REQUIRE_TWO_FACTOR is off: superusers and data managers sign in with a password alone.")
        privileged = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(user_permissions__codename="view_all_cases")
                | Q(groups__permissions__codename="view_all_cases")
            )
            .distinct()
            .order_by("username")
        )
        with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
        missing = [user.get_username() for user in privileged if user.pk not in with_device]
        if missing:
            self.problem(f"{len(missing)} privileged user(s) have no second factor set up: {', '.join(missing)}. "
                         "They are asked for one at their next sign-in; until then, anyone with the password is them.")  # fmt: skip
        elif settings.REQUIRE_TWO_FACTOR:
            self.ok(f"Every privileged user ({privileged.count()}) has a confirmed second factor.")

    def check_backups(self, directory: Path) -> None:
        limit = datetime.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)
        files = [path for path in directory.glob("*") if path.is_file()] if directory.is_dir() else []
        if not files:
            self.problem(f"No backup in {directory}: schedule one (docs/deploy.md, 'Backups').")
            return
        newest = max(files, key=lambda path: path.stat().st_mtime)
        age = datetime.timedelta(seconds=time.time() - newest.stat().st_mtime)
        hours = age.total_seconds() / 3600
        if age > limit:
            self.problem(f"The newest backup, {newest.name}, is {hours:.0f} hours old (more than "
                         f"BACKUP_MAX_AGE_HOURS={settings.BACKUP_MAX_AGE_HOURS}): is the scheduled backup running?")  # fmt: skip
        else:
            self.ok(f"The newest backup, {newest.name}, is {hours:.1f} hours old.")

    def check_database(self) -> bool:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:
            self.problem(f"The database does not answer ({type(error).__name__}): check DATABASE_URL.")
            return False
        if pending:
            names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in pending[:5])
            self.problem(f"{len(pending)} migration(s) not applied ({names}…): run "
                         "`DATABASE_STATEMENT_TIMEOUT=0 python manage.py migrate`.")  # fmt: skip
        else:
            self.ok("The database answers and every migration is applied.")
        if "replica" in connections.databases:
            try:
                connections["replica"].ensure_connection()
                self.ok("The read replica answers.")
            except Exception as error:
                self.problem(f"The read replica (DATABASE_REPLICA_URL) does not answer ({type(error).__name__}); "
                             "the primary serves its reads meanwhile.")  # fmt: skip
        return True

    def check_cache(self) -> None:
        try:
            cache.set("vigil:doctor", "1", 10)
            answered = cache.get("vigil:doctor") == "1"
        except Exception:
            answered = False
        if not answered:
            self.problem("The shared cache does not answer: check REDIS_URL (API throttles and home pages use it).")
        elif not settings.REDIS_URL and not settings.DEBUG:
            self.ok("The shared cache answers (a PostgreSQL table; set REDIS_URL for many users).")
        else:
            self.ok("The shared cache answers.")

    def check_storage(self) -> None:
        """Every file storage Vigil keeps files in (STORAGES, but static files): write, read back, delete a probe."""
        from django.core.files.storage import FileSystemStorage, storages

        for alias in settings.STORAGES:
            if alias == "staticfiles":
                continue
            storage = storages[alias]
            if alias == "default" and isinstance(storage, FileSystemStorage) and not settings.MEDIA_ROOT:
                continue  # no MEDIA_ROOT: nothing is kept in the default storage
            name = f"doctor-probe-{int(time.time())}.txt"
            try:
                saved = storage.save(name, ContentFile(b"vigil doctor"))
                with storage.open(saved) as probe:
                    readable = probe.read() == b"vigil doctor"
                storage.delete(saved)
            except Exception as error:
                self.problem(f"File storage '{alias}' cannot be written ({type(error).__name__}: {error}).")
                continue
            if readable:
                self.ok(f"File storage '{alias}': a probe file was written, read back and deleted.")
            else:
                self.problem(f"File storage '{alias}': a probe file read back differently.")

    def check_email(self) -> None:
        backend = settings.EMAIL_BACKEND
        if backend in NON_DELIVERING_EMAIL:
            self.problem(f"E-mail is not sent: EMAIL_BACKEND {NON_DELIVERING_EMAIL[backend]}. Password resets "
                         "never arrive. Set EMAIL_HOST and friends (README, Settings).")  # fmt: skip
            return
        try:
            connection = get_connection(fail_silently=False, timeout=5)
            connection.open()
            connection.close()
        except (TimeoutError, OSError, smtplib.SMTPException) as error:
            self.problem(f"The SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} does not accept a "
                         f"connection ({type(error).__name__}: {error}): password-reset e-mails cannot leave.")  # fmt: skip
            return
        self.ok(f"E-mail: the SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} accepts a connection.")
