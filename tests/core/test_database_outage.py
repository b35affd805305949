"""While PostgreSQL is unreachable (issue 10, finding 13): the API answers a
JSON 503 with Retry-After, the dashboard a plain "temporarily unavailable"
page (503), and both recover by themselves when the database is back.

No mock: the live server reaches the real test database through a TCP gate
(a small forwarding thread on port 8122) that the test closes, cutting every
connection and refusing new ones as a stopped server does, then opens again.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connections
from django.test import Client

from core.models import ApiToken
from tests import factories
from tests.conftest import grant_editor

GATE_PORT = 8122


class Gate:
    """A TCP forwarder to PostgreSQL that can be shut like a stopped server."""

    def __init__(self, host: str, port: int):
        # A host starting with / is the directory of PostgreSQL's Unix socket (the embedded server).
        self.target = (
            (socket.AF_UNIX, f"{host}/.s.PGSQL.{port}") if host.startswith("/") else (socket.AF_INET, (host, port))
        )
        self.listener: socket.socket | None = None
        self.open_sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", GATE_PORT))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        with self.lock:
            for sock in self.open_sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open_sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:  # closed: the database is "down"
                return
            server = socket.socket(self.target[0])
            server.connect(self.target[1])
            with self.lock:
                self.open_sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def gated_database(live_server, settings):
    """The live server's connections go through the gate (new connections read this settings dict)."""
    settings.REQUIRE_TWO_FACTOR = False
    settings_dict = connections["default"].settings_dict
    saved = {key: settings_dict.get(key) for key in ("HOST", "PORT", "CONN_MAX_AGE")}
    gate = Gate(saved["HOST"] or "127.0.0.1", int(saved["PORT"] or 5432))
    connections["default"].ensure_connection()  # the test's own connection goes straight to the database
    gate.up()
    settings_dict.update(HOST="127.0.0.1", PORT=str(GATE_PORT), CONN_MAX_AGE=0)
    try:
        yield gate
    finally:
        settings_dict.update(saved)
        with contextlib.suppress(OSError):
            gate.down()
        connections["default"].close_if_unusable_or_obsolete()


def fetch(url: str, headers: dict) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the live server)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode()


@pytest.mark.parametrize("debug", [False, True], ids=["deployed", "make run (DEBUG on)"])
def test_the_api_and_the_dashboard_answer_503_while_the_database_is_down_and_recover(
    debug, transactional_db, live_server, gated_database, settings
):
    settings.DEBUG = debug
    editor = grant_editor(factories.UserFactory(username="alice"))
    factories.CaseFactory(title="Open case")
    _instance, token = ApiToken.objects.create(user=editor, name="outage test")
    browser = Client()
    browser.force_login(editor)
    api = {"Authorization": f"Token {token}"}
    dashboard = {"Cookie": f"sessionid={browser.cookies['sessionid'].value}"}

    assert fetch(live_server.url + "/api/v1/cases/", api)[0] == 200
    assert fetch(live_server.url + "/cases/", dashboard)[0] == 200

    gated_database.down()
    status, headers, body = fetch(live_server.url + "/api/v1/cases/", api)
    assert status == 503, body[:300]
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Retry-After"]) > 0
    assert "temporarily unavailable" in json.loads(body)["detail"]
    status, headers, body = fetch(live_server.url + "/cases/", dashboard)
    assert status == 503, body[:300]
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Retry-After"]) > 0
    assert "temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
    status, headers, body = fetch(live_server.url + "/api/v1/cases/", dashboard)  # the API with a session
    assert (status, headers["Content-Type"]) == (503, "application/json")
    # Signed out (no session to read): the sign-in page and an anonymous API call too.
    assert fetch(live_server.url + "/accounts/login/", {})[0] in (200, 503)
    assert fetch(live_server.url + "/api/v1/cases/", {})[0] in (401, 503)
    assert fetch(live_server.url + "/readyz", {})[0] == 503  # /healthz is liveness: it stays 200

    gated_database.up()
    assert fetch(live_server.url + "/api/v1/cases/", api)[0] == 200
    assert fetch(live_server.url + "/cases/", dashboard)[0] == 200
    assert fetch(live_server.url + "/readyz", {})[0] == 200
