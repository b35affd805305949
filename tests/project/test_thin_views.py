"""No dashboard view or template tag builds a query (issue 16): a page reads through its app's
selectors (``<app>/selectors.py``: keyword-only, each starting from ``visible_to``), so who may
see what is decided there and nowhere else, and a newcomer finds every read in one place.

Read from the code itself, so a new view is checked without anyone remembering: every module
``<app>/views.py``, ``<app>/views/*.py`` and ``<app>/templatetags/*.py``. The API's viewsets are
not read here: they declare their ``queryset`` as DRF and NetBox do (STYLE.md), and
``core.api.filters`` narrows it by ``visible_to``.

Refused in those modules:

- a manager: ``Model.objects``, ``_base_manager``, ``_default_manager``;
- ``get_object_or_404`` / ``get_list_or_404`` (a 404 is a selector's: ``casework.selectors.visible_case``);
- a call building a queryset (``.filter()``, ``.select_related()``, ``.order_by()``, ``.visible_to()``...)
  or its parts (``Q``, ``F``, ``Prefetch``, ``Subquery``, ``OuterRef``, ``Exists``, ``Count``).

Reading what a selector prefetched (``record.translations.all()``) and iterating what it returned
are fine: they make no new query.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MANAGERS = {"objects", "_base_manager", "_default_manager"}
NOT_FOUND_HELPERS = {"get_object_or_404", "get_list_or_404"}
#: Queryset methods that build (or narrow) a query. ``values``/``get``/``all``/``count`` are left
#: out: a dict has ``values`` and ``get``, and a prefetched relation is read with ``all``.
QUERYSET_METHODS = {
    "filter", "exclude", "select_related", "prefetch_related", "annotate", "alias", "order_by", "reverse",
    "defer", "only", "distinct", "values_list", "aggregate", "none", "union", "intersection", "difference",
    "extra", "raw", "select_for_update", "in_bulk", "visible_to", "search_names", "with_visible_people",
    "with_current_position", "with_team_and_subjects", "stalled", "waiting_supplies", "in_bin",
}  # fmt: skip
EXPRESSIONS = {"Q", "F", "Prefetch", "Subquery", "OuterRef", "Exists", "Count", "Sum", "Max", "Min", "Value"}


def page_modules() -> list[Path]:
    """Every dashboard views module and template tag module of the project."""
    patterns = ("*/views.py", "*/views/*.py", "*/templatetags/*.py")
    return sorted(path for pattern in patterns for path in ROOT.glob(pattern) if not path.parts[-2].startswith("."))


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def queries_in(source: str) -> list[tuple[int, str]]:
    """(line, what) for every query ``source`` builds itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Call):
            called = _name(node.func)
            if called in NOT_FOUND_HELPERS:
                found.append((node.lineno, f"{called}()"))
            elif isinstance(node.func, ast.Attribute) and called in QUERYSET_METHODS:
                found.append((node.lineno, f".{called}()"))
            elif isinstance(node.func, ast.Name) and called in EXPRESSIONS:
                found.append((node.lineno, f"{called}()"))
    return sorted(found)


def test_the_views_and_template_tags_are_found():
    names = {str(path.relative_to(ROOT)) for path in page_modules()}
    assert {"people/views.py", "casework/views/actions.py", "dashboard/views/cases.py"} <= names
    assert {"core/templatetags/translations.py", "watch/templatetags/watch.py"} <= names
    assert not any("/api/" in name or "migrations" in name for name in names)


def test_no_view_or_template_tag_builds_a_query():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in page_modules()
        for line, what in queries_in(path.read_text())
    ]
    assert not wrong, (
        "A view or template tag reads through a selector (<app>/selectors.py: keyword-only, starting from "
        "visible_to, a 404 raised there); it builds no query itself:\n" + "\n".join(wrong)
    )


PLANTED = """
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from casework import selectors
from casework.models import Case


class CaseView(View):
    def get(self, request, reference):
        case = get_object_or_404(Case, reference=reference)
        mine = Case.objects.visible_to(request.user)
        raw = Case._base_manager.all()
        shown = selectors.case_list(user=request.user).filter(Q(status="open")).order_by("-id")
        people = mine.prefetch_related(Prefetch("subjects"))
        named = {"a": 1}.get("a"), {"a": 1}.values(), case.subjects.all()
        return shown, people, raw, named
"""


def test_the_check_finds_a_planted_query_of_every_kind():
    found = queries_in(PLANTED)
    assert found == [
        (11, "get_object_or_404()"),
        (12, ".objects"),
        (12, ".visible_to()"),
        (13, "._base_manager"),
        (14, ".filter()"),
        (14, ".order_by()"),
        (14, "Q()"),
        (15, ".prefetch_related()"),
        (15, "Prefetch()"),
    ]


def test_the_check_passes_a_view_that_calls_one_selector():
    thin = (
        "from dashboard import selectors\n\n"
        "def get(request, reference):\n"
        "    page = selectors.case_page(case=visible_case(request.user, reference), user=request.user)\n"
        "    return {'page': page, 'notes': page.case.notes.all(), 'rows': {'a': 1}.values()}\n"
    )
    assert queries_in(thin) == []
