"""`manage.py doctor` says, in plain words, what is wrong with a deployment, and exits non-zero when anything is."""

import io
import os
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

SMTP_PORT = 8133


class Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


@pytest.fixture
def smtp_server():
    controller = Controller(Accept(), hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def production(settings, tmp_path, smtp_server):
    """A deployment as docs/deploy.md leaves it."""
    settings.DEBUG = False
    settings.SECRET_KEY = "k7#Vq9-zR2!mW4pX8sL1@nB6yT3&cF5hJ0gD_eA9uK2iO7oP4qZ"
    settings.ALLOWED_HOSTS = ["vigil.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.REQUIRE_TWO_FACTOR = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", SMTP_PORT, False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    (settings.BACKUP_DIR / "vigil-20261201T030000Z.dump").write_bytes(b"PGDMP")
    return settings


def _doctor() -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("doctor", stdout=out)
        failed = False
    except CommandError:
        failed = True
    return out.getvalue(), failed


def test_a_sound_deployment_passes_every_check(db, production):
    manager = UserFactory(username="doctor-dm", is_superuser=True)
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    report, failed = _doctor()
    assert not failed, report
    assert "PROBLEM" not in report
    for words in ("DEBUG is off", "HTTPS enforced", "has a confirmed second factor", "hours old",
                  "every migration is applied", "File storage 'default'", "accepts a connection"):  # fmt: skip
        assert words in report, words
    assert not list((production.BACKUP_DIR.parent / "media").glob("doctor-probe-*")), "the probe is deleted"


def test_each_problem_is_named_in_plain_words_and_the_exit_is_non_zero(db, production):
    UserFactory(username="doctor-no-phone", is_superuser=True)
    production.DEBUG = True
    production.SECURE_SSL_REDIRECT = False
    production.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    stale = production.BACKUP_DIR / "vigil-20261101T030000Z.dump"
    for path in production.BACKUP_DIR.iterdir():
        path.unlink()
    stale.write_bytes(b"PGDMP")
    three_days_ago = time.time() - 3 * 86400
    os.utime(stale, (three_days_ago, three_days_ago))
    report, failed = _doctor()
    assert failed
    assert "PROBLEM  DEBUG is on" in report
    assert "HTTPS is not enforced" in report
    assert "no second factor set up: doctor-no-phone" in report
    assert "is 72 hours old" in report
    assert "E-mail is not sent: EMAIL_BACKEND prints e-mails to the console" in report


def test_no_backup_and_an_smtp_server_that_does_not_answer_are_problems(db, production, tmp_path):
    production.EMAIL_PORT = 1  # nothing listens there
    production.BACKUP_DIR = tmp_path / "empty"
    report, failed = _doctor()
    assert failed
    assert f"No backup in {tmp_path / 'empty'}" in report
    assert "does not accept a connection" in report
