"""Real services for the watch's tests: a job worker run in this process, an
SMTP server (aiosmtpd) and an HTTP receiver on the loopback."""

from __future__ import annotations

import http.server
import os
import threading
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from procrastinate.contrib.django import app

# Ports of our own (8150-8159), two per pytest-xdist worker so that parallel workers never collide.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
SMTP_PORT = 8151 + 2 * _WORKER
HTTP_PORT = 8152 + 2 * _WORKER


@pytest.fixture(autouse=True)
def empty_job_queue(request):
    """Each test starts with an empty queue: Procrastinate's tables are not Django's
    to flush, so jobs a worker left (a periodic run) would outlive their test."""
    if "transactional_db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_events; DELETE FROM procrastinate_periodic_defers; DELETE FROM procrastinate_jobs"
        )
    yield


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


def run_worker() -> None:
    """Run every job waiting (and those they defer) until the queue is empty.

    Only the jobs the test deferred: the worker's periodic deferrer is given no
    schedule, or a tick landing mid-test (process_changes runs every 10 s) would
    run a job the test did not ask for, and whether it did would depend on the clock."""
    with (
        mock.patch.dict(app.periodic_registry.periodic_tasks, clear=True),
        app.replace_connector(app.connector.get_worker_connector()),
    ):
        app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def make_due_now() -> None:
    """Jobs scheduled for a retry later: due now (the tests never wait for backoff)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'")


class Mailbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_receiver():
    Receiver.received, Receiver.answer = [], 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", HTTP_PORT), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Receiver
    server.shutdown()
    server.server_close()
