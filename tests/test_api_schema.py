"""schemathesis against the live schema: with an editor's token, generated
requests to every operation of /api/v1/ find no server error, no undocumented
status code and no response that contradicts the schema.

Examples are few per operation (hypothesis settings below) so the whole run
stays within about a minute on a laptop; CI runs it in `make test`.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
import werkzeug.test
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.api.preconditions import UNSAFE
from tests.api_fixtures import client_for
from tests.api_resources import RESOURCES

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def existing_ids(editor, open_case, restricted_case) -> dict[str, list]:
    """Objects of every resource, in both kinds of case: their ids by path prefix."""
    ids = {}
    for resource in RESOURCES:
        made = [resource.make(open_case), resource.make(restricted_case)]
        ids[f"/{resource.path}/"] = [obj.pk for obj in made]
    ids["/cases/"] += [open_case.reference]
    return ids


@pytest.fixture
def editor_headers(editor, existing_ids, settings):
    settings.ALLOWED_HOSTS = ["*"]
    token = client_for(editor)._credentials["HTTP_AUTHORIZATION"]
    return {"Authorization": token}


def aim_at_existing(case, existing_ids, pick: int | None) -> None:
    """Point a generated path id at an object that exists (random ids are nearly always 404)."""
    if pick is None:
        return
    for name in ("id", "case"):
        if name in (case.path_parameters or {}):
            prefix = "/cases/" if name == "case" else case.operation.path.removeprefix("/api/v1").split("{")[0]
            candidates = existing_ids.get(prefix)
            if candidates:
                case.path_parameters[name] = candidates[pick % len(candidates)]


def send_the_current_etag(case, wsgi_app, headers) -> None:
    """A change or delete carries the object's current ETag in If-Match, as from a
    client that read it first (a generated If-Match is a 412, a missing one a 428).
    Read through the same WSGI app: Django's test client would reconnect the
    signal that closes the test's connection."""
    if case.method.upper() in UNSAFE:
        etag = werkzeug.test.Client(wsgi_app).get(case.formatted_path, headers=headers).headers.get("ETag")
        if etag:
            case.headers = {**(case.headers or {}), "If-Match": etag}


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, served in-process inside the test's transaction: like
    Django's test client, it must not close the connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, editor_headers):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app, headers=editor_headers)


EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=not os.environ.get("SCHEMATHESIS_RANDOM"),  # CI: the same examples every run
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def test_the_api_conforms_to_its_schema(api_schema, editor_headers, existing_ids, wsgi_app):
    # schemathesis's own pytest plugin does not run under pytest 9 yet: drive it by hand,
    # one hypothesis run per operation, and report every operation that fails.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 70
    failures = {}
    for operation in operations:

        @given(case=operation.as_strategy(), pick=st.none() | st.integers(min_value=0, max_value=5))
        @EXAMPLES
        def conforms(case, pick):
            aim_at_existing(case, existing_ids, pick)
            if pick is not None:
                send_the_current_etag(case, wsgi_app, editor_headers)
            case.call_and_validate(headers=editor_headers, checks=CHECKS)

        try:
            conforms()
        except (Exception, BaseExceptionGroup) as failure:  # collect them all (schemathesis groups
            # several failures in a BaseExceptionGroup), then fail once with the list
            failures[operation.label] = failure
    assert not failures, "\n\n".join(f"{label}:\n{failure}" for label, failure in failures.items())
