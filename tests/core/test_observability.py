"""What an operator reads: JSON log lines with the request's id and nothing sensitive; metrics only for the scraper."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pythonjsonlogger.json import JsonFormatter

from core.observability import RedactFilter, RequestIdFilter
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def log_lines():
    """The log as production writes it: the JSON formatter and the filters of settings.LOGGING, on the root logger."""
    options = {k: v for k, v in django_settings.LOGGING["formatters"]["json"].items() if k != "()"}
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def test_every_line_of_a_request_carries_its_id_and_the_response_names_it(client, db, log_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    lines = [line for line in log_lines() if line["request_id"] == request_id]
    loggers = {line["logger"] for line in lines}
    assert {"django.request", "vigil.request"} <= loggers, "Django's own warning and Vigil's request line"
    [summary] = [line for line in lines if line["logger"] == "vigil.request"]
    assert summary["status"] == 404 and summary["method"] == "GET" and summary["path"] == "/no-such-page/"
    assert {"time", "level", "message"} <= set(summary)


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client, db):
    assert client.get("/healthz", headers={"X-Request-ID": "caddy-4f1c2a9b"})["X-Request-ID"] == "caddy-4f1c2a9b"
    replaced = client.get("/healthz", headers={"X-Request-ID": "x\ninjected: yes"})["X-Request-ID"]
    assert len(replaced) == 32 and "\n" not in replaced


def test_searches_passwords_and_tokens_never_reach_the_log(client, db, log_lines):
    user = UserFactory(username="logged-editor")
    user.set_password(PASSWORD)
    user.save()
    client.post("/accounts/login/", {"username": "logged-editor", "password": PASSWORD})
    client.post("/accounts/login/", {"username": "logged-editor", "password": "wrong-" + PASSWORD})
    client.get("/people/", {"q": "리정철 Ri Jong Chol"})
    client.get("/api/v1/cases/?search=Ri+Jong+Chol", headers={"Authorization": "Token deadbeefsecret"})
    logging.getLogger("vigil.test").info("token handed out", extra={"api_token": "deadbeefsecret", "user_id": user.pk})
    text = json.dumps(log_lines(), ensure_ascii=False)
    assert "logged-editor" in text or "vigil.request" in text  # the log is not empty
    for secret in (PASSWORD, "리정철", "Ri Jong Chol", "Ri+Jong+Chol", "deadbeefsecret", "sessionid="):
        assert secret not in text
    assert '"api_token": "[redacted]"' in text


def test_metrics_are_closed_to_anyone_without_the_token_or_an_allowed_address(client, db, settings):
    settings.METRICS_TOKEN = "scrape-me-0123456789"
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    client.force_login(UserFactory(username="metrics-super", is_superuser=True, is_staff=True))
    assert client.get("/metrics").status_code == 404, "not even a superuser's session opens it"
    client.logout()
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404, "no token: closed"


def test_metrics_count_requests_latencies_and_errors_for_the_scraper(client, db, settings):
    settings.METRICS_TOKEN = "scrape-me-0123456789"
    client.get("/no-such-page/")
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'django_http_requests_total_by_method_total{method="GET"}' in body
    assert 'django_http_responses_total_by_status_total{status="404"}' in body
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body
    assert "django_http_exceptions_total_by_type" in body


def test_metrics_give_the_job_queue_depth_and_failed_jobs_by_queue(client, db, settings):
    from django.db import connection

    settings.METRICS_TOKEN = "scrape-me-0123456789"
    with connection.cursor() as cursor:  # two jobs waiting in the mail queue, one failed for good
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status) VALUES "
            "('mail', 'watch.deliver_email', '{}', 'todo'), ('mail', 'watch.deliver_email', '{}', 'todo'), "
            "('webhooks', 'watch.deliver_webhook', '{}', 'failed')"
        )
    body = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"}).content.decode()
    assert "# TYPE vigil_jobs gauge" in body
    assert 'vigil_jobs{queue="mail",status="todo"} 2' in body
    assert 'vigil_jobs{queue="webhooks",status="failed"} 1' in body


def test_metrics_open_to_an_allowed_address(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_a_wrong_log_format_is_named():
    # A database that does not exist: liveness and metrics must not need one.
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DEBUG": "1", "LOG_FORMAT": "xml"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is not a log format" in result.stderr


@pytest.mark.slow
def test_metrics_are_gathered_across_gunicorns_workers(tmp_path):
    """As the Docker image runs it: several workers, one registry on disk (PROMETHEUS_MULTIPROC_DIR)."""
    import socket
    import time
    import urllib.request

    port = 8137
    env = {
        **os.environ,
        "DEBUG": "1",
        "METRICS_TOKEN": "scrape-me-0123456789",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "--workers", "2", "config.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        for _ in range(10):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read()
        scrape = urllib.request.Request(
            f"http://127.0.0.1:{port}/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"}
        )
        body = urllib.request.urlopen(scrape, timeout=10).read().decode()  # noqa: S310 - loopback
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert 'django_http_requests_total_by_method_total{method="GET"} 11.0' in body, "10 probes and this scrape"
    assert list(tmp_path.glob("*.db")), "the workers' counts are kept on disk, where every worker reads them"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "viewer", "password-only superuser"])
def test_operations_endpoints_give_an_attacker_nothing(client, db, settings, who):
    """/healthz and /readyz say only whether Vigil is up; /metrics is a 404 to anyone without the scraper's token,
    whatever their session, and none of them changes anything."""
    from django.contrib.auth.models import Group

    from core.roles import VIEWER
    from tests.attack_surface import OPERATIONS_ROUTES
    from tests.conftest import grant_editor

    settings.METRICS_TOKEN = "scrape-me-0123456789"
    settings.REQUIRE_TWO_FACTOR = True
    if who == "outsider":
        client.force_login(grant_editor(UserFactory(username="ops-outsider")))
    elif who == "viewer":
        viewer = UserFactory(username="ops-viewer")
        viewer.groups.add(Group.objects.get_or_create(name=VIEWER)[0])
        client.force_login(viewer)
    elif who == "password-only superuser":
        client.force_login(UserFactory(username="ops-super", is_superuser=True))
    owes_second_factor = who == "password-only superuser"  # sent to /accounts/two-factor/ before anything else

    def refused(response) -> bool:
        if owes_second_factor and response.status_code == 302:
            return response["Location"].startswith("/accounts/two-factor/")
        return response.status_code in {403, 404, 405}

    for route in OPERATIONS_ROUTES:
        for method in (client.post, client.put, client.delete):
            assert refused(method(route)), (route, method)
    assert refused(client.get("/metrics"))
    assert client.get("/healthz").json() == {"status": "ok"}
    readiness = client.get("/readyz")
    assert (
        refused(readiness) if owes_second_factor else set(readiness.json()) == {"status", "database", "jobs", "cache"}
    )
