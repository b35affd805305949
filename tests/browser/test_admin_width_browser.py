"""No admin page is wider than a 1,280 px window (issue 11, section 6): every
changelist, add page and change page of every model registered in the admin
(read from ``admin.site._registry``, so a new model is covered), opened by the
demo's superuser on the demo case in headless Chromium at 1,280 px."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests import factories
from tests.browser.test_dashboard_browser import demo, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WINDOW = 1280

#: The innermost elements that reach past the window, named for the failure message.
OVERFLOWING = """(window) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window && ![...e.children].some(c => c.getBoundingClientRect().right > window))
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''} (${Math.round(e.getBoundingClientRect().right)} px)`)"""


def _admin_pages():
    """(name, path) of every changelist, add page and change page (of the model's first row)."""
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield f"{model._meta.label} list", reverse(f"{info}_changelist")
        try:
            add = reverse(f"{info}_add")
        except NoReverseMatch:  # a model with no add page at all
            add = None
        if add:
            yield f"{model._meta.label} add", add
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield f"{model._meta.label} change", reverse(f"{info}_change", args=[first.pk])


def test_no_admin_page_is_wider_than_the_window(page, served, demo, screenshot):  # noqa: F811
    # A row for the models the demo case leaves empty, so their change page is opened too.
    factories.FollowUpFactory(case=demo, title="Ask the ICRC whether the interviews were free")
    factories.CaseNoteFactory(case=demo, body="A long note " * 40)
    sign_in(page, served.url)
    assert page.viewport_size["width"] == WINDOW
    too_wide, scrolled, opened = {}, {}, 0
    for name, path in _admin_pages():
        response = page.goto(f"{served.url}{path}")
        if response.status in (403, 404):  # an add page the model has none of (updates are added on their request)
            continue
        assert response.status == 200, f"{name}: {response.status}"
        opened += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WINDOW:
            too_wide[name] = (width, page.evaluate(OVERFLOWING, WINDOW))
        # Nor a table that fits only by scrolling inside its box (admin.css's last resort).
        inner = page.evaluate(
            "[...document.querySelectorAll('.inline-group .tabular fieldset.module')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.closest('.inline-group').id)"
        )
        if inner:
            scrolled[name] = inner
    for name, path in (("admin-index", "/admin/"), ("admin-case-history", f"/admin/casework/case/{demo.pk}/history/")):
        page.goto(f"{served.url}{path}")
        screenshot(page, name)  # under test-artifacts/, for a person to look at
    print(f"\nadmin pages opened at {WINDOW} px: {opened}, wider: {too_wide}, scrolling inside: {scrolled}")
    assert not too_wide, f"admin pages wider than {WINDOW} px: {too_wide}"
    assert not scrolled, f"tables that fit {WINDOW} px only by scrolling: {scrolled}"
