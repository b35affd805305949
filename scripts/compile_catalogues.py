"""Compile every translation catalogue (locale/<lang>/LC_MESSAGES/*.po) to the .mo
file Django reads, with Babel: no GNU gettext needed on the machine. Run by `make
run`, `make test` and the Docker image; a .mo newer than its .po is left alone.

    python scripts/compile_catalogues.py [--force]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_catalogues(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")) + sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            # Fuzzy entries are never shipped (a test refuses them in the catalogues anyway).
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogues(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(ROOT)}")
