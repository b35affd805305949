"""Settings fail loudly, the compose file runs what the app reads, /healthz answers."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _import_settings(DEBUG="0", ALLOWED_HOSTS="vigil.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = _import_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_a_malformed_setting_is_named():
    result = _import_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_a_malformed_throttle_rate_is_named():
    result = _import_settings(DEBUG="1", API_USER_THROTTLE="lots")
    assert result.returncode != 0
    assert "API_USER_THROTTLE='lots' is not a rate" in result.stderr


def test_production_settings_start_with_everything_set():
    assert _import_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="vigil.example.org").returncode == 0


def _settings_read():
    source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'(?:os\.environ\.get|env_bool|env_int|env_list|env_rate)\(\s*"([A-Z0-9_]+)"', source))
    names |= set(re.findall(r'os\.environ\["([A-Z0-9_]+)"\]', source))
    return names


def test_env_example_lists_every_setting():
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert _settings_read() - listed == set()


def test_compose_runs_postgres_16_with_a_volume_and_the_app_under_gunicorn():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert "pgdata" in compose["volumes"]
    assert any(volume.startswith("pgdata:") for volume in services["db"]["volumes"])
    app = services["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    environment = app["environment"]
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"} <= set(environment)
    assert environment["DATABASE_URL"].endswith("@db:5432/vigil")
    assert environment["DEBUG"] == "0"
    assert set(environment) <= _settings_read() | {"GUNICORN_WORKERS"}, "compose passes only settings the app reads"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn config.wsgi:application" in dockerfile
    assert "migrate --noinput" in dockerfile
    assert "collectstatic" in dockerfile


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_unavailable_when_the_database_does_not(client, db, monkeypatch):
    def broken():
        raise connection.Database.OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize("command", ["make run", "make test", "docker compose up"])
def test_the_readme_gives_the_commands(command):
    assert command in (ROOT / "README.md").read_text()


def test_the_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    assert {name for name in _settings_read() if f"`{name}`" not in readme} == set()


def test_connections_persist_with_health_checks_and_queries_have_a_time_limit(db, settings):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT}s" != "0"
