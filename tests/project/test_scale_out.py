"""Two web processes behind one proxy behave as one Vigil: a session, a CSRF token and the API's throttle made
on one process hold on the other. (docs/scaling.md, "Stateless web replicas".)

Two gunicorns (one worker each) on the test database, and a small round-robin reverse proxy in this test,
all on 127.0.0.1. The load is bounded: a fixed number of requests, a few seconds.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import http.server
import itertools
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from core.models import ApiToken
from tests.conftest import grant_editor
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = (8134, 8135)
PROXY = 8136
PASSWORD = "a long enough password"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class RoundRobinProxy(http.server.ThreadingHTTPServer):
    """Sends each request to the next backend, as a load balancer without sticky sessions does."""

    daemon_threads = True

    def __init__(self):
        self.next_backend = itertools.cycle(BACKENDS)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", PROXY), ProxyHandler)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        with self.server.lock:
            port = next(self.server.next_backend)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("X-Served-By", str(port))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, *args):
        pass


def _database_url() -> str:
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        [name] = cursor.fetchone()
    host = quote(settings["HOST"] or "127.0.0.1", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{settings['USER']}@{host}{port}/{name}"


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def two_processes_behind_a_proxy(transactional_db):
    for port in (*BACKENDS, PROXY):
        assert not _answers(port), f"port {port} is taken"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "1",  # plain-HTTP cookies on the loopback; everything else is as deployed
        "REQUIRE_TWO_FACTOR": "0",
        "API_USER_THROTTLE": "12/minute",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("REDIS_URL", None)  # the shared cache is then PostgreSQL's table: what a small deployment has
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "config.wsgi:application", "--workers", "1", "--log-level", "warning", "--bind"]
    processes = [
        subprocess.Popen(
            [*command, f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in BACKENDS
    ]
    proxy = RoundRobinProxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while not all(_answers(port) for port in BACKENDS):
            assert time.monotonic() < deadline, "the web processes did not start"
            assert all(process.poll() is None for process in processes), "a web process stopped"
            time.sleep(0.2)
        yield f"http://127.0.0.1:{PROXY}"
    finally:
        proxy.shutdown()
        proxy.server_close()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


class Browser:
    """Cookies kept between requests, redirects not followed: what one person's browser does."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + "/", **(headers or {})}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - 127.0.0.1
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


@pytest.mark.slow
def test_session_csrf_and_throttle_hold_across_two_processes_under_a_bounded_load(two_processes_behind_a_proxy):
    base = two_processes_behind_a_proxy
    user = grant_editor(UserFactory(username="roaming"))
    # The web processes hash as deployed (PBKDF2), not with the tests' fast hasher.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save()
    browser = Browser(base)

    # CSRF: the token comes from one process, the form is posted to the other.
    status, headers, page = browser.request("/accounts/login/")
    assert status == 200
    form_server = headers["X-Served-By"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = browser.request("/accounts/login/", {"csrfmiddlewaretoken": token, "username": "roaming",
                                                              "password": PASSWORD})  # fmt: skip
    assert status == 302, "signed in with a CSRF token the other process issued"
    assert headers["X-Served-By"] != form_server

    # The session: both processes know who this is.
    served_by = set()
    for _ in range(4):
        status, headers, _ = browser.request("/")
        assert status == 200, "the session made on one process is honoured by the other"
        served_by.add(headers["X-Served-By"])
    assert served_by == {str(port) for port in BACKENDS}

    # Without the token a form post is refused, whichever process gets it.
    stranger = Browser(base)
    assert stranger.request("/accounts/login/", {"username": "roaming", "password": PASSWORD})[0] == 403

    # The throttle counts in the shared cache: 12 a minute in all, not 12 per process.
    api_token = ApiToken.objects.create(user=user, name="load")[1]
    auth = {"Authorization": f"Token {api_token}"}

    def call(_):
        status, headers, _ = Browser(base).request("/api/v1/cases/", headers=auth)
        return status, headers["X-Served-By"]

    answers = [call(i) for i in range(16)]
    statuses = [status for status, _ in answers]
    assert statuses[:12] == [200] * 12 and statuses[12:] == [429] * 4, statuses
    assert {port for _, port in answers[:12]} == {str(port) for port in BACKENDS}

    # A bounded load through the proxy: 4 clients, 60 requests in all, no error on either process.
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: Browser(base).request("/readyz")[:2], range(60)))
    assert all(status == 200 for status, _ in results)
    assert {headers["X-Served-By"] for _, headers in results} == {str(port) for port in BACKENDS}
