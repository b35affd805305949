"""The signed custody manifest, and the archive that carries it with the files."""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from evidence import signing
from evidence.storage import CHUNK, evidence_storage

VERIFY_TEXT = """How to check this manifest and these files
==========================================

manifest.json lists every file with its SHA-256; manifest.json.sig is the
Ed25519 signature of manifest.json's exact bytes by the Vigil instance whose
public key is public-key.pem (ask its operators to confirm the key).

1. The signature (OpenSSL 3):
   openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\
       -in manifest.json -sigfile manifest.json.sig
   It prints "Signature Verified Successfully".

2. Each file: sha256sum files/* and compare with "sha256" in manifest.json.
"""


def signed_manifest(report: dict) -> tuple[bytes, bytes]:
    """(manifest.json's bytes, their detached signature)."""
    data = signing.manifest_bytes(report)
    return data, signing.sign(data)


def archive_name(row: dict) -> str:
    kind = "derived" if row["derived_from"] else "files"
    return f"{kind}/{row['id']}-{row['sha256'][:12]}-{row['name']}"


def write_archive(target: BinaryIO, report: dict, *, with_files: bool) -> int:
    """A zip with manifest.json, its signature, the public key, how to verify and
    (``with_files``) every file of the report, streamed from storage. Returns the
    number of files packed."""
    data, signature = signed_manifest(report)
    packed = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", data)
        archive.writestr("manifest.json.sig", signature)
        archive.writestr("public-key.pem", signing.public_key_pem())
        archive.writestr("VERIFY.txt", VERIFY_TEXT)
        if with_files:
            storage = evidence_storage()
            for row in report["files"]:
                sha = row["sha256"]
                name = f"sha256/{sha[:2]}/{sha[2:4]}/{sha}"
                # Media are compressed already: stored as they are.
                with (
                    storage.open(name, "rb") as stored,
                    archive.open(zipfile.ZipInfo(archive_name(row)), "w", force_zip64=True) as member,
                ):
                    while chunk := stored.read(CHUNK):
                        member.write(chunk)
                packed += 1
    return packed


def manifest_zip(report: dict) -> bytes:
    out = io.BytesIO()
    write_archive(out, report, with_files=False)
    return out.getvalue()
