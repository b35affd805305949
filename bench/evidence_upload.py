"""Upload and hashing throughput of evidence files (issue 14): ``make bench``'s companion.

    python scripts/dev.py manage shell -c ... is not needed: run
    DATABASE_URL=... .venv/bin/python bench/evidence_upload.py --size-mb 1024

Writes a file of ``--size-mb`` MB (a video's first bytes, then random data),
then, each in a fresh process so its peak memory is its own:

- ``hash``: ``evidence.storage.read_upload`` alone: SHA-256, size limit and
  type detection, streamed 1 MiB at a time;
- ``store``: what an upload does with the bytes, ``read_upload`` then
  ``store_bytes`` into a filesystem evidence storage (hash, then copy);

and prints MB/s and each process's peak resident memory (and its resident
memory before reading, i.e. Python, Django and the app loaded). Peak memory
that does not grow with ``--size-mb`` is the constant-memory promise.

``--http`` also sends the file to a real Vigil (gunicorn, one sync worker,
DEBUG off, on ``--port``, default 8162) as ``POST /api/v1/files/`` multipart,
streamed from disk: Django's upload handling (to a temporary file), hashing,
type, storing and the database rows, with the worker's peak memory. It needs
``DATABASE_URL`` (a user ``bench-evidence`` and a case "Evidence benchmark"
are made there once; files go to a temporary evidence folder).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def make_file(path: Path, size_mb: int) -> None:
    block = os.urandom(1024 * 1024)
    with path.open("wb") as out:
        out.write(MP4_HEAD)
        for index in range(size_mb):
            # Vary each block a little: no two MB identical, at no cost of randomness.
            out.write(index.to_bytes(8, "big") + block[8:])


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def phase(name: str, path: Path, store_dir: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1:5432/unused")  # no query is made
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import override_settings

    from evidence.storage import read_upload, store_bytes

    size = path.stat().st_size
    before = rss_mb()
    storages = {
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(store_dir)}}
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, **storages}, EVIDENCE_MAX_FILE_BYTES=size + 1):
        started = time.perf_counter()
        with path.open("rb") as stream:
            received = read_upload(stream)
            if name == "store":
                store_bytes(f"sha256/{received.sha256}", stream, received.size)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "phase": name,
        "bytes": size,
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / 1e6 / seconds, 1),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1),
        "media_type": received.media_type,
    }


def http_run(path: Path, folder: Path, port: int) -> dict:
    """The file through a real server's API (multipart, streamed), and the worker's peak RSS."""
    import http.client
    import signal
    import urllib.request

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "EVIDENCE_DIR": str(folder / "http-store"),
        "EVIDENCE_UPLOAD_DIR": str(folder / "http-uploads"),
        "EVIDENCE_MAX_FILE_BYTES": str(path.stat().st_size + 1),
        "API_USER_THROTTLE": "100000/hour",
        "DATABASE_STATEMENT_TIMEOUT": "0",
        "TMPDIR": str(folder),
    }
    setup = (
        "from django.contrib.auth.models import User, Group; from rest_framework.authtoken.models import Token;"
        "from casework.models import Case;"
        "u, _ = User.objects.get_or_create(username='bench-evidence', defaults={'is_staff': True});"
        "u.groups.add(Group.objects.get(name='editor'));"
        "c, _ = Case.objects.get_or_create(title='Evidence benchmark', defaults={'lead': u, 'opened_on': __import__('datetime').date.today()});"
        "t, _ = Token.objects.get_or_create(user=u); print(t.key, c.pk)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", setup],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    token, case = out.stdout.split()[-2:]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "600",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        worker = next(
            int(child) for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        )
        boundary = "vigil-bench-" + os.urandom(8).hex()
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="case"\r\n\r\n{case}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.mp4"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = path.stat().st_size

        def body():
            yield head
            with path.open("rb") as data:
                while chunk := data.read(1024 * 1024):
                    yield chunk
            yield tail

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        started = time.perf_counter()
        connection.request(
            "POST",
            "/api/v1/files/",
            body=body(),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail)),
            },
        )
        response = connection.getresponse()
        answer = json.loads(response.read() or b"{}")
        seconds = time.perf_counter() - started
        peak = 0.0
        for line in Path(f"/proc/{worker}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
        if response.status != 201:
            raise SystemExit(f"The upload was answered {response.status}: {answer}")
        return {
            "phase": "http",
            "bytes": size,
            "seconds": round(seconds, 2),
            "mb_per_s": round(size / 1e6 / seconds, 1),
            "rss_before_mb": 0.0,
            "peak_rss_mb": round(peak, 1),
            "media_type": answer.get("media_type"),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument(
        "--http", action="store_true", help="Also upload through a real server's API (needs DATABASE_URL)."
    )
    parser.add_argument("--port", type=int, default=8162)
    parser.add_argument("--phase", choices=["hash", "store"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.file), Path(args.store))))
        return
    with tempfile.TemporaryDirectory(prefix="vigil-bench-evidence-") as folder:
        path = Path(folder) / "upload.mp4"
        make_file(path, args.size_mb)
        results = []
        for name in ("hash", "store"):
            out = subprocess.run(
                [sys.executable, __file__, "--phase", name, "--file", str(path), "--store", str(Path(folder) / "store")],
                capture_output=True, text=True, check=True, cwd=ROOT,
            )  # fmt: skip
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        if args.http:
            results.append(http_run(path, Path(folder), args.port))
        print(f"{'phase':<6} {'MB':>7} {'seconds':>8} {'MB/s':>7} {'RSS before':>11} {'peak RSS':>9}")
        for row in results:
            print(
                f"{row['phase']:<6} {row['bytes'] / 1e6:>7.0f} {row['seconds']:>8} {row['mb_per_s']:>7} "
                f"{row['rss_before_mb']:>9} MB {row['peak_rss_mb']:>6} MB"
            )
        print(json.dumps(results))


if __name__ == "__main__":
    main()
