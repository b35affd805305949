"""Vigil's apps are layers that point one way (issue 16), read from the imports themselves.

    core  <-  people  <-  casework  <-  events  <-  evidence, watch, exchange  <-  dashboard

An app imports only core and the apps below it: core imports no domain app (what it
needs of one it names by string, or an app registers it, e.g. ``core.access.visibility``);
no two apps import each other; and no product code imports the benchmark (``bench/``
uses the product, not the other way round). Every import counts, also one inside a
function. Migrations are history and are not read. The dashboard holds the pages that join
several apps (home, search, the case and person pages): at the top, imported by none.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Lowest first. An app may import the apps of its own layer or below, never above.
LAYERS = (("core",), ("people",), ("casework",), ("events",), ("evidence", "watch", "exchange"), ("dashboard",))
LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
#: Imports waiting for a change elsewhere (none now; an entry needs its reason).
NOT_YET: set[tuple[str, str]] = set()
#: Everything that ships: the apps and the project (settings, URLs).
PRODUCT = (*LAYER_OF, "config")


def python_files(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_packages(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def imports_of(package: str) -> list[tuple[str, str]]:
    """(where, imported package) for every import in ``package`` of another Vigil package."""
    return [
        (f"{path.relative_to(ROOT)}:{line}", imported)
        for path in python_files(package)
        for line, imported in imported_packages(path)
        if imported != package and imported in (*PRODUCT, "bench")
    ]


def test_core_imports_no_domain_app():
    wrong = [f"{where} imports {app}" for where, app in imports_of("core") if app in LAYER_OF]
    assert not wrong, (
        "core is the mechanism every app uses and imports none of them: name the app's function by string "
        "or let the app register it in its AppConfig.ready (core/access.py shows how):\n" + "\n".join(wrong)
    )


def test_no_product_code_imports_the_benchmark():
    wrong = [f"{where} imports bench" for package in PRODUCT for where, app in imports_of(package) if app == "bench"]
    assert not wrong, "The benchmark uses the product, never the other way round:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", [app for app in LAYER_OF if app != "core"])
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = [
        f"{where} imports {imported}"
        for where, imported in imports_of(app)
        if imported in LAYER_OF
        and LAYER_OF[imported] > LAYER_OF[app]
        and (where.split(":")[0], imported) not in NOT_YET
    ]
    assert not wrong, (
        f"{app} reaches up the ladder ({' <- '.join('/'.join(layer) for layer in LAYERS)}). Move the code to "
        "the app that owns what it joins (a page showing several apps goes to dashboard/), or name what it "
        "needs by string:\n" + "\n".join(wrong)
    )


def test_no_two_apps_import_each_other():
    depends = {
        app: {
            imported
            for where, imported in imports_of(app)
            if imported in LAYER_OF and (where.split(":")[0], imported) not in NOT_YET
        }
        for app in LAYER_OF
    }
    both_ways = sorted(f"{a} <-> {b}" for a in depends for b in depends[a] if a < b and a in depends[b])
    assert not both_ways, "These apps import each other; one of them must not:\n" + "\n".join(both_ways)


def test_the_check_reads_imports_inside_functions_too(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import os\n\ndef late():\n    from casework.models import Case\n    return Case\n")
    assert imported_packages(module) == [(1, "os"), (4, "casework")]


#: A module a newcomer reads in one sitting: past this, split it into a package (STYLE.md, item 10).
MAX_LINES = 400
#: Modules still past it, each waiting for a change on another branch (an entry needs its reason).
LONG_FOR_NOW = {}


def python_modules():
    """Every Python module of the project but migrations (history) and what is not ours."""
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not any(part.startswith(".") or part in {"migrations", "node_modules", "staticfiles"} for part in parts):
            yield path


def test_no_module_but_a_migration_passes_400_lines():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text().splitlines()) for path in python_modules()}
    too_long = [
        f"{name}: {lines} lines" for name, lines in lengths.items() if lines > MAX_LINES and name not in LONG_FOR_NOW
    ]
    assert not too_long, (
        f"A module past {MAX_LINES} lines is a drawer: split it into a package (models/ with choices.py, "
        "a section per module) that re-exports its names:\n" + "\n".join(too_long)
    )
    settled = [name for name in LONG_FOR_NOW if lengths.get(name, 0) <= MAX_LINES]
    assert not settled, f"No longer too long (take them off LONG_FOR_NOW): {settled}"


def test_no_test_module_loads_fixtures_as_a_plugin():
    """``pytest_plugins`` in a test module registers its fixtures for every module collected
    after it: an ``editor`` there replaced conftest's in other folders, so tests passed or failed
    by the order the workers took them. A module imports the fixtures it wants instead."""
    tests = ROOT / "tests"
    loading = [
        str(path.relative_to(ROOT))
        for path in tests.rglob("test_*.py")
        if re.search(r"^pytest_plugins\s*=", path.read_text(), re.MULTILINE)
    ]
    assert not loading, loading
