"""Lists are serialised by core.api.fast (compiled readers, not DRF's field by
field machinery): a row of every list is exactly what the object's own page
says, field for field, for a reader with and without sensitive details."""

from __future__ import annotations

import pytest

from tests.api_resources import RESOURCES, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.path for r in RESOURCES])
@pytest.mark.parametrize("reader", ["editor_api", "viewer_api"])
def test_each_row_of_a_list_is_the_objects_own_page(resource, reader, request, open_case, restricted_case):
    client = request.getfixturevalue(reader)
    for case in (open_case, restricted_case):
        resource.make(case)
    rows = client.get(url(resource), {"page_size": 500}).json()["results"]
    assert rows, "the list shows the objects made"
    for row in rows:
        detail = client.get(row["url"])
        assert detail.status_code == 200
        assert row == detail.json()


def test_every_vigil_list_serializer_is_the_fast_one_through_drfs_public_hook():
    """Meta.list_serializer_class, read by DRF's many_init: if an upgrade of DRF stops
    honouring it, this fails rather than every list silently slowing down."""
    from core.api.fast import FastListSerializer
    from core.api.serializers import VigilModelSerializer

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = [cls for cls in subclasses(VigilModelSerializer) if getattr(cls, "Meta", None) and cls.Meta.model]
    assert found
    for cls in found:
        assert isinstance(cls(many=True, context={}), FastListSerializer), cls.__name__
