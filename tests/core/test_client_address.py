"""Who the client is, behind a reverse proxy (issue 10, finding 4).

A real proxy runs here: a small HTTP proxy thread in front of the live
server, appending the address each client connects from to
``X-Forwarded-For`` as nginx's ``$proxy_add_x_forwarded_for`` does. Two
clients connect to it from two loopback addresses (127.0.0.2 and 127.0.0.3);
the server sees every request coming from the proxy. With
``TRUSTED_PROXY_COUNT=1``: five bad sign-ins lock out only the client who made
them, a rotating forged ``X-Forwarded-For`` does not escape the token
endpoint's throttle, and the sign-in and view logs record the real client.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from casework.models import CaseView
from core.client_ip import client_ip
from tests import factories
from tests.api_fixtures import forget_throttle_counts
from tests.conftest import grant_editor

PROXY_PORT = 8120
PASSWORD = "a long enough password"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


# ------------------------------------------------------------------ the one function


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "client"),
    [
        (0, "6.6.6.6", "198.51.100.1", "198.51.100.1"),  # no proxy: the headers are ignored
        (1, "", "198.51.100.1", "198.51.100.1"),  # a request that bypassed the proxy
        (1, "203.0.113.7", "10.0.0.2", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "10.0.0.2", "203.0.113.7"),  # the forged hop is ignored
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.1", "10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.2", "203.0.113.7"),  # shorter than the proxies: the leftmost
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "203.0.113.7:51234", "10.0.0.2", "203.0.113.7"),
        (1, "[2001:db8::7]:443", "10.0.0.2", "2001:db8::7"),
        (1, "2001:db8::7", "10.0.0.2", "2001:db8::7"),
    ],
)
def test_the_client_is_the_rightmost_hop_no_trusted_proxy_vouches_for(count, forwarded, remote, client, settings):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


# ------------------------------------------------------------------ a real proxy


class _Proxy(BaseHTTPRequestHandler):
    upstream: tuple[str, int]

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        previous = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{previous}, {self.client_address[0]}" if previous else self.client_address[0]
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        connection.request(self.command, self.path, body=body or None, headers=headers)
        answer = connection.getresponse()
        content = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        connection.close()

    do_GET = do_POST = do_PATCH = do_DELETE = _forward

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def proxy(live_server, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLOWED_HOSTS = ["*"]
    settings.REQUIRE_TWO_FACTOR = False
    forget_throttle_counts()
    upstream = urllib.parse.urlsplit(live_server.url)
    handler = type("Proxy", (_Proxy,), {"upstream": (upstream.hostname, upstream.port)})
    server = ThreadingHTTPServer(("127.0.0.1", PROXY_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{PROXY_PORT}"
    server.shutdown()
    server.server_close()
    thread.join()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser or API client connecting to the proxy from its own address."""

    def __init__(self, base: str, address: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class FromAddress(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(http.client.HTTPConnection, req, source_address=(address, 0))

        self.opener = urllib.request.build_opener(
            FromAddress(), urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def send(self, method: str, path: str, *, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode()

    def sign_in(self, username: str, password: str) -> int:
        _status, page = self.send("GET", "/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf})
        status, _page = self.send(
            "POST",
            "/accounts/login/",
            data=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + "/accounts/login/"},
        )
        return status

    def token(self, username: str, password: str, forged: str | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if forged:
            headers["X-Forwarded-For"] = forged
        status, body = self.send(
            "POST",
            "/api/v1/auth/token/",
            data=json.dumps({"username": username, "password": password}).encode(),
            headers=headers,
        )
        return status, json.loads(body)


@pytest.fixture
def people(transactional_db):
    return {
        name: grant_editor(factories.UserFactory(username=name, password=PASSWORD))
        for name in ("mallory", "alice", "bob")
    }


def test_five_bad_sign_ins_behind_the_proxy_lock_only_the_client_who_made_them(proxy, people, settings):
    mallory, alice = Client(proxy, "127.0.0.2"), Client(proxy, "127.0.0.3")
    # Five users, five wrong passwords, one address: the address is locked, not the users.
    for name in ("mallory", "bob", "nobody1", "nobody2", "nobody3")[: settings.AXES_FAILURE_LIMIT]:
        assert mallory.sign_in(name, "wrong password") in (200, 429)
    assert mallory.sign_in("mallory", PASSWORD) == 429, "the address that guessed is locked"
    assert alice.sign_in("alice", PASSWORD) == 302, "a colleague behind the same proxy signs in"
    assert Client(proxy, "127.0.0.4").sign_in("bob", PASSWORD) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}
    # The sign-in logs record the real client, not the proxy.
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}
    assert set(AccessLog.objects.values_list("username", "ip_address")) == {
        ("alice", "127.0.0.3"),
        ("bob", "127.0.0.4"),
    }


def test_a_forged_x_forwarded_for_neither_locks_someone_else_nor_escapes_the_lock(proxy, people, settings):
    mallory = Client(proxy, "127.0.0.2")
    for hop in range(settings.AXES_FAILURE_LIMIT + 2):
        mallory.token("mallory", "wrong password", forged=f"127.0.0.3, 198.51.100.{hop}")
    assert mallory.token("mallory", PASSWORD, forged="198.51.100.200")[0] == 403
    assert Client(proxy, "127.0.0.3").token("alice", PASSWORD)[0] == 200


def test_rotating_x_forwarded_for_does_not_bypass_the_token_throttle(proxy, people, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth-token", "3/minute")
    mallory = Client(proxy, "127.0.0.2")
    answers = [mallory.token("alice", PASSWORD, forged=f"203.0.113.{n}")[0] for n in range(5)]
    assert answers[:3] == [200, 200, 200]
    assert answers[3:] == [429, 429], "a new forged hop each time is still the same client"
    assert Client(proxy, "127.0.0.3").token("bob", PASSWORD)[0] == 200, "another client has its own count"


def test_the_view_log_records_the_real_client_not_a_forged_hop(proxy, people):
    alice = people["alice"]
    case = factories.RestrictedCaseFactory(title="Restricted", lead=alice)
    client = Client(proxy, "127.0.0.3")
    status, answer = client.token("alice", PASSWORD)
    assert status == 200
    headers = {"Authorization": f"Token {answer['token']}", "X-Forwarded-For": "6.6.6.6"}
    assert client.send("GET", f"/api/v1/cases/{case.pk}/", headers=headers)[0] == 200
    assert list(CaseView.objects.values_list("username", "ip_address")) == [("alice", "127.0.0.3")]


def test_without_a_trusted_proxy_the_headers_are_ignored(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="127.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "127.0.0.9"
