"""Every response carries the security headers; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pages_forbid_inline_script_and_framing(client, db):
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_case_data_is_never_cached(client, sam):
    client.force_login(sam)
    for url in ("/admin/", "/admin/casework/case/", "/healthz"):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url


def test_check_deploy_passes_under_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "q9-Zx2_vB7nL4pW0sT8yR1mK6jH3gF5dC0aE9uI2oP7lN4bV8xZ1cQ6wS3eR5tY7u",
        "ALLOWED_HOSTS": "vigil.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
