"""The printed dossier says when it was printed on its reader's clock, naming the zone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.services import preferences_set
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")


@pytest.mark.parametrize("zone", ["Asia/Seoul", "Europe/Kyiv"])
def test_the_dossier_names_the_readers_zone_beside_the_time_it_was_printed(client, editor, kursk_case, zone):
    import zoneinfo

    preferences_set(user=editor, language="en", time_zone=zone)
    client.force_login(editor)
    html = client.get(reverse("case_dossier", args=[kursk_case.reference])).content.decode()
    footer = html.split('<footer class="dossier__footer">', 1)[1].split("</footer>", 1)[0]
    assert f"({zone})" in footer
    assert timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).strftime("%H:") in footer
