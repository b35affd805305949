"""Settings fail loudly, the compose file runs what the app reads, /healthz answers."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("backup_script", ROOT / "scripts" / "backup.py")
_backup_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_backup_script)


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
    source = "\n".join(path.read_text() for path in sorted((ROOT / "config" / "settings").glob("*.py")))
    names = set(re.findall(r'(?:os\.environ\.get|env_bool|env_int|env_list|env_rate)\(\s*"([A-Z0-9_]+)"', source))
    names |= set(re.findall(r'os\.environ\["([A-Z0-9_]+)"\]', source))
    return names


def test_env_example_lists_every_setting():
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert _settings_read() - listed == set()


def test_compose_runs_postgres_redis_the_app_behind_caddy_and_scheduled_backups():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"proxy", "web", "db", "redis", "backup", "offsite"} <= set(services)
    assert services["db"]["image"] == "postgres:16"
    assert {"pgdata", "backups", "caddy_data"} <= set(compose["volumes"])
    assert any(volume.startswith("pgdata:") for volume in services["db"]["volumes"])
    web = services["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "ports" not in web, "only the proxy is reachable from outside"
    assert services["proxy"]["image"].startswith("caddy:") and "443:443" in services["proxy"]["ports"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    environment = web["environment"]
    assert {"DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "ALLOWED_HOSTS", "DEBUG", "METRICS_TOKEN"} <= set(
        environment
    )
    assert environment["DATABASE_URL"].endswith("@db:5432/vigil")
    assert environment["DEBUG"] == "0" and environment["REQUIRE_TWO_FACTOR"] == "1"
    assert set(environment) <= _settings_read() | {"GUNICORN_WORKERS"}, "compose passes only settings the app reads"
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    assert services["backup"]["entrypoint"] == ["sh", "/deploy/backup.sh"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn -c config/gunicorn.py config.wsgi:application" in dockerfile
    assert "DATABASE_STATEMENT_TIMEOUT=0 python manage.py migrate --noinput" in dockerfile
    assert "collectstatic" in dockerfile
    assert "scripts/compile_catalogues.py" in dockerfile  # the interface's languages, without GNU gettext


def test_every_variable_compose_reads_is_in_env_example():
    used = set(re.findall(r"\$\{([A-Z_0-9]+)", (ROOT / "docker-compose.yml").read_text()))
    listed = set(re.findall(r"^([A-Z_0-9]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used - listed == set()


def test_compose_and_caddyfile_pass_their_own_validators():
    """`docker compose config` needs the Docker client's compose plugin, absent here: docker-compose (Debian's
    package) reads the same file offline; `caddy validate` parses the Caddyfile. CI installs both."""
    import shutil

    env = {**os.environ, "POSTGRES_PASSWORD": "p", "SECRET_KEY": "k", "VIGIL_DOMAIN": "vigil.example.org",
           "VIGIL_TLS": "internal"}  # fmt: skip
    ran = 0
    for tool, command in (
        ("docker-compose", ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"]),
        ("caddy", ["caddy", "validate", "--adapter", "caddyfile", "--config", str(ROOT / "deploy" / "Caddyfile")]),
    ):
        if shutil.which(tool) is None:
            continue
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        ran += 1
    if not ran and os.environ.get("CI"):
        pytest.fail("CI installs docker-compose and caddy (.ci/run): neither was found")
    if not ran:
        pytest.skip("neither docker-compose nor caddy is installed (apt-get install docker-compose caddy)")


def test_the_backup_script_keeps_fresh_dumps_drops_old_ones_and_the_drill_restores_one(db, tmp_path):
    """deploy/backup.sh and deploy/restore-drill.sh, as the compose services run them, on the test database."""
    settings = connection.settings_dict
    directories = _backup_script.tool_directories(connection.pg_version // 10000)
    env = {
        **os.environ,
        "PATH": ":".join([*map(str, directories[:1]), os.environ["PATH"]]),
        "PGHOST": settings["HOST"] or "127.0.0.1",
        "PGPORT": str(settings["PORT"] or 5432),
        "PGUSER": settings["USER"],
        "PGDATABASE": connection.cursor().connection.info.dbname,
        "BACKUP_DIR": str(tmp_path),
        "BACKUP_ONCE": "1",
        "BACKUP_KEEP_DAYS": "14",
        "DRILL_DATABASE": f"vigil_drill_{os.getpid()}",
    }
    old = tmp_path / "vigil-20200101T000000Z.dump"
    old.write_bytes(b"PGDMP")
    os.utime(old, (0, 0))
    backup = subprocess.run(["sh", str(ROOT / "deploy" / "backup.sh")], env=env, capture_output=True, text=True)
    assert backup.returncode == 0, backup.stderr
    [fresh] = tmp_path.glob("vigil-*.dump")
    assert fresh != old and fresh.read_bytes().startswith(b"PGDMP")
    drill = subprocess.run(["sh", str(ROOT / "deploy" / "restore-drill.sh")], env=env, capture_output=True, text=True)
    assert drill.returncode == 0, drill.stderr
    assert "drill: the backup holds" in drill.stdout and "drill: OK" in drill.stdout


def test_healthz_and_readyz_answer_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "jobs": "ok", "cache": "ok"}


def test_without_the_database_the_app_is_alive_but_not_ready(client, db, monkeypatch):
    def broken():
        raise connection.Database.OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        liveness = client.get("/healthz")
        readiness = client.get("/readyz")
    assert liveness.status_code == 200, "a database outage must not get every web process restarted"
    assert readiness.status_code == 503
    assert readiness.json()["database"] == readiness.json()["jobs"] == "unreachable"


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


def test_rotating_the_secret_key_with_the_old_one_as_fallback_signs_no_one_out(db, settings):
    from django.test import Client

    from tests.factories import UserFactory

    old_key = "o" * 20 + "-old-secret-key-0123456789-abcdefghij"
    new_key = "n" * 20 + "-new-secret-key-0123456789-abcdefghij"
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = old_key, []
    active, away = Client(), Client()
    active.force_login(UserFactory(username="rotating-active"))
    away.force_login(UserFactory(username="rotating-away"))
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = new_key, [old_key]
    assert active.get("/").status_code == 200, "signed in through the rotation (and re-signed with the new key)"
    settings.SECRET_KEY_FALLBACKS = []
    assert active.get("/").status_code == 200, "a session used during the rotation outlives the old key"
    assert away.get("/").status_code == 302, "one signed only with the removed key ends"
