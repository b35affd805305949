"""Data managers read failed jobs, with their errors, and the webhook log in admin; editors do not."""

from __future__ import annotations

from django.contrib.auth.models import Group

from core.roles import DATA_MANAGER, EDITOR
from tests import factories
from watch.models import JobFailure


def test_data_managers_read_failed_jobs_with_their_error_and_editors_cannot(db, client):
    JobFailure.objects.create(
        job_id=7,
        task_name="watch.deliver_email",
        attempt=1,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
        will_retry=True,
    )
    dana = factories.UserFactory(username="dana", is_staff=True)
    dana.groups.add(Group.objects.get(name=DATA_MANAGER))
    eddie = factories.UserFactory(username="eddie", is_staff=True)
    eddie.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(dana)
    page = client.get("/admin/watch/jobfailure/")
    assert page.status_code == 200 and "Connection unexpectedly closed" in page.content.decode()
    assert client.get("/admin/watch/webhookdelivery/").status_code == 200
    assert client.get("/admin/procrastinate/procrastinatejob/").status_code == 200
    client.force_login(eddie)
    assert client.get("/admin/watch/jobfailure/").status_code == 403


def test_an_alert_that_names_a_sensitive_detail_shows_it_only_to_who_may_read_it(db, client):
    """The admin's alert page, like the home page, hides a sensitive summary (core.exposure.SENSITIVE_ROWS)."""
    from django.contrib.auth.models import Permission

    from watch.models import Alert

    case = factories.CaseFactory()
    alert = Alert.objects.create(
        key="risk-raised", rule="risk_raised", case=case, summary="Risk if returned: extreme", sensitive=True
    )
    reader = factories.UserFactory(username="rita", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_alert"))
    client.force_login(reader)
    page = client.get(f"/admin/watch/alert/{alert.pk}/change/").content.decode()
    assert "A sensitive detail changed." in page and "Risk if returned: extreme" not in page
    reader.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    client.force_login(reader)
    assert "Risk if returned: extreme" in client.get(f"/admin/watch/alert/{alert.pk}/change/").content.decode()
