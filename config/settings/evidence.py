"""Evidence files (evidence/, docs/evidence.md): storage, sizes, types, signing."""

from __future__ import annotations

import os
from pathlib import Path

from config.settings.base import BASE_DIR, STORAGES, env_int, env_list

# ---------------------------------------------------------------- evidence files
# Evidence files (evidence/, docs/evidence.md): bytes kept once by SHA-256 in the
# "evidence" storage, never served as static files (every download goes through
# the access check). A folder under .data/ by default; any S3-compatible object
# store (django-storages) when EVIDENCE_S3_BUCKET is set.
EVIDENCE_DIR = Path(os.environ.get("EVIDENCE_DIR", "").strip() or BASE_DIR / ".data" / "evidence")
EVIDENCE_S3_BUCKET = os.environ.get("EVIDENCE_S3_BUCKET", "").strip()
if EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            # Empty: AWS itself; otherwise the store's address (MinIO, Ceph, another cloud's S3).
            "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("EVIDENCE_S3_REGION", "").strip() or None,
            # Empty: boto3's own chain (instance role, ~/.aws, AWS_* variables).
            "access_key": os.environ.get("EVIDENCE_S3_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("EVIDENCE_S3_SECRET_ACCESS_KEY", "").strip() or None,
            "default_acl": None,  # private: the bucket's own policy
            "querystring_auth": True,
            "file_overwrite": True,  # names are SHA-256: the same name is the same bytes
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(EVIDENCE_DIR), "base_url": None, "file_permissions_mode": 0o440},
    }
# Chunks of resumable API uploads wait here until the last one arrives (a shared
# volume when several app hosts take uploads).
EVIDENCE_UPLOAD_DIR = Path(os.environ.get("EVIDENCE_UPLOAD_DIR", "").strip() or BASE_DIR / ".data" / "uploads")
# A file larger than this is refused, with a message saying so (200 MB).
EVIDENCE_MAX_FILE_BYTES = env_int("EVIDENCE_MAX_FILE_BYTES", 200 * 1000 * 1000)
# One chunk of a resumable upload (API) may be at most this large.
EVIDENCE_CHUNK_MAX_BYTES = env_int("EVIDENCE_CHUNK_MAX_BYTES", 8 * 1024 * 1024)
# The types (detected from the content, never the name) Vigil accepts.
EVIDENCE_DEFAULT_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/heic",
    "application/pdf", "text/plain",
    "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/flac",
    "video/mp4", "video/quicktime", "video/webm", "video/x-matroska",
]  # fmt: skip
EVIDENCE_ALLOWED_TYPES = env_list("EVIDENCE_ALLOWED_TYPES", []) or EVIDENCE_DEFAULT_TYPES
# Custody manifests are signed with this Ed25519 private key (base64 of its 32
# raw bytes; `manage.py evidence_key --new` makes one). Without it, development
# (DEBUG) derives one from SECRET_KEY; production refuses to sign.
EVIDENCE_SIGNING_KEY = os.environ.get("EVIDENCE_SIGNING_KEY", "").strip()
# The API's upload routes take bodies up to a file's (or a chunk's) size, not API_MAX_BODY_BYTES.
API_LARGE_BODY_PATHS = {
    "/api/v1/files/": EVIDENCE_MAX_FILE_BYTES + 1024 * 1024,
    "/api/v1/uploads/": EVIDENCE_CHUNK_MAX_BYTES + 64 * 1024,
}
# ------------------------------------------------------------ end evidence files
