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

import ast
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


#: Functions written before the rule below, each with its reason; a new function follows the rule.
OLDER_SHAPE: dict[str, str] = {}


def shape_problems(path: Path, kind: str) -> dict[str, str]:
    """``{"<module>:<function>": problem}`` for each public function of a selectors or services module
    whose arguments are not keyword-only, or (services) has no ``user`` keyword."""
    problems = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            positional = [arg.arg for arg in (*node.args.posonlyargs, *node.args.args)]
            keywords = [arg.arg for arg in node.args.kwonlyargs]
            if positional:
                problems[node.name] = f"takes {positional} by position"
            elif kind == "services" and "user" not in keywords:
                problems[node.name] = "has no user= keyword"
    return problems


@pytest.mark.parametrize("kind", ["selectors", "services"])
def test_selectors_and_services_take_keywords_and_services_the_user(kind):
    found = {
        f"{path.relative_to(ROOT)}:{name}": problem
        for path in sorted(ROOT.glob(f"*/{kind}.py"))
        for name, problem in shape_problems(path, kind).items()
    }
    wrong = [f"{where} {problem}" for where, problem in found.items() if where not in OLDER_SHAPE]
    assert not wrong, (
        f"A function of {kind}.py takes its arguments by keyword (def f(*, ...)), a service the acting "
        "user as user= (STYLE.md: HackSoft, Zulip):\n" + "\n".join(wrong)
    )
    settled = [where for where in OLDER_SHAPE if where.split(":")[0].endswith(f"/{kind}.py") and where not in found]
    assert not settled, f"These now follow the rule: take them off OLDER_SHAPE: {settled}"


def test_the_shape_check_finds_a_positional_selector_and_a_service_without_user(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "def case_close(case, *, user):\n    pass\n\n"
        "def case_open(*, case):\n    pass\n\n"
        "def case_note(*, case, user):\n    pass\n\n"
        "def _helper(a, b):\n    pass\n"
    )
    assert shape_problems(module, "services") == {
        "case_close": "takes ['case'] by position",
        "case_open": "has no user= keyword",
    }
    assert shape_problems(module, "selectors") == {"case_close": "takes ['case'] by position"}
