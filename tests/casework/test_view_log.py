"""Each view of a restricted case is logged (who, when, through what, from where), never its content."""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, transaction

from casework.models import CaseView
from core.roles import DATA_MANAGER, EDITOR
from tests import factories


def test_opening_a_restricted_case_in_the_admin_is_logged(restricted_case, client, bob):
    client.force_login(bob)
    client.get(f"/admin/casework/case/{restricted_case.pk}/change/", REMOTE_ADDR="203.0.113.7")
    view = CaseView.objects.get()
    assert (view.case, view.username, view.channel, view.what, view.ip_address) == (
        restricted_case, "bob", "admin", "page", "203.0.113.7",
    )  # fmt: skip
    assert restricted_case.title not in str(view.__dict__)


def test_normal_cases_and_refused_views_are_not_logged(restricted_case, open_case, client, bob, olivia):
    client.force_login(bob)
    client.get(f"/admin/casework/case/{open_case.pk}/change/")
    client.force_login(olivia)
    assert client.get(f"/admin/casework/case/{restricted_case.pk}/change/").status_code == 404
    assert not CaseView.objects.exists()


def test_only_data_managers_read_the_log(restricted_case, client, bob):
    client.force_login(bob)
    client.get(f"/admin/casework/case/{restricted_case.pk}/change/")
    eddie = factories.UserFactory(username="eddie")
    eddie.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(eddie)
    assert client.get("/admin/casework/caseview/").status_code == 403
    dana = factories.UserFactory(username="dana")
    dana.groups.add(Group.objects.get(name=DATA_MANAGER))
    client.force_login(dana)
    page = client.get("/admin/casework/caseview/").content.decode()
    assert "bob" in page and restricted_case.reference in page


def test_the_log_is_append_only(restricted_case, client, bob):
    client.force_login(bob)
    client.get(f"/admin/casework/case/{restricted_case.pk}/change/")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseView.objects.update(username="nobody")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseView.objects.all().delete()
