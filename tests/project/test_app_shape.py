"""Every domain app has the same shape (issue 16, STYLE.md item 1), so a newcomer guesses
where any behaviour lives from the folder names alone:

    models      the tables (a package with choices.py once it passes ~400 lines)
    services    writes: keyword-only functions, ``user`` a required keyword
    selectors   reads: keyword-only functions, each starting from ``visible_to``
    filtersets  one FilterSet per model, shared by the API and the dashboard lists
    admin       the admin's pages
    api/        the REST API (serializers, views, urls)
    views       the dashboard's pages of the app
    forms       the dashboard's forms

Each part is a module (``services.py``) or a package (``views/``); ``api`` is always a
package. The dashboard holds the pages joining several apps and has no models of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.roles import DATA_MANAGER_APPS, DOMAIN_APPS

ROOT = Path(__file__).resolve().parents[2]

#: The apps holding case data (core.roles.DOMAIN_APPS), the watch and the exchange.
APPS = (*DOMAIN_APPS, "watch", *DATA_MANAGER_APPS)
PARTS = ("models", "services", "selectors", "filtersets", "admin", "api", "views", "forms")
#: Parts still missing, each with its reason (the test fails when one appears: take it off).
NOT_YET: dict[tuple[str, str], str] = {}


def has_part(app: str, part: str, root: Path = ROOT) -> bool:
    folder = root / app
    if part == "api":
        return (folder / "api" / "__init__.py").exists()
    return (folder / f"{part}.py").exists() or (folder / part / "__init__.py").exists()


@pytest.mark.parametrize("app", APPS)
def test_every_domain_app_has_the_same_parts(app):
    missing = [part for part in PARTS if not has_part(app, part) and (app, part) not in NOT_YET]
    assert not missing, (
        f"{app}/ lacks {missing}: every domain app has {', '.join(PARTS)} (tests/project/test_app_shape.py)"
    )
    arrived = [part for part in PARTS if has_part(app, part) and (app, part) in NOT_YET]
    assert not arrived, f"{app}/ now has {arrived}: take them off NOT_YET"


def test_the_check_finds_a_missing_part(tmp_path):
    app = tmp_path / "shelf"
    for module in ("services.py", "admin.py", "forms.py", "filtersets.py"):
        (app / module).parent.mkdir(parents=True, exist_ok=True)
        (app / module).write_text("")
    for package in ("models", "api", "views"):
        (app / package).mkdir()
        (app / package / "__init__.py").write_text("")
    (app / "selectors").mkdir()  # a folder without __init__.py is no part
    assert [part for part in PARTS if not has_part("shelf", part, root=tmp_path)] == ["selectors"]


@pytest.mark.parametrize("app", APPS)
def test_a_models_package_keeps_its_choices_in_choices_py(app):
    package = ROOT / app / "models"
    elsewhere = [
        path.name
        for path in package.glob("*.py")
        if path.name != "choices.py"
        and re.search(r"^class \w+\((models\.)?(Text|Integer)Choices\)", path.read_text(), re.M)
    ]
    assert not elsewhere, f"{app}/models/ defines choices outside {app}/models/choices.py: {elsewhere}"
    assert not (package.is_dir() and (ROOT / app / "choices.py").exists()), (
        f"{app}/models/ is a package: its choices go to {app}/models/choices.py, not {app}/choices.py"
    )


@pytest.mark.parametrize("app", APPS)
def test_no_app_keeps_its_filtersets_under_api(app):
    assert not (ROOT / app / "api" / "filters.py").exists(), (
        f"{app}'s FilterSets serve the API and the dashboard alike: {app}/filtersets.py, not {app}/api/filters.py"
    )
