"""A government's current position is its latest statement."""

import datetime

import pytest

from casework.models import Involvement, Stance
from casework.services import position_record
from tests import factories


@pytest.fixture
def south_korea(db):
    return factories.InvolvementFactory(government=factories.GovernmentFactory(name="South Korea", country="KR"))


def test_the_latest_statement_is_the_current_position(south_korea):
    position_record(involvement=south_korea, stance=Stance.NO_RESPONSE, stated_on=datetime.date(2025, 2, 1))
    latest = position_record(
        involvement=south_korea,
        stance=Stance.CONDITIONAL,
        stated_on=datetime.date(2025, 10, 1),
        stated_on_precision="quarter",
        condition="Will accept them if their intentions are verified.",
    )
    position_record(involvement=south_korea, stance=Stance.UNKNOWN, stated_on=None, stated_on_precision="unknown")
    assert south_korea.current_position == latest
    annotated = Involvement.objects.with_current_position().get(pk=south_korea.pk)
    assert annotated.current_stance == "conditional"
    assert annotated.current_condition == "Will accept them if their intentions are verified."
    assert annotated.current_stated_on == datetime.date(2025, 10, 1)


def test_a_government_with_no_statement_has_no_position(south_korea):
    assert south_korea.current_position is None
    assert Involvement.objects.with_current_position().get(pk=south_korea.pk).current_stance is None


def test_a_statement_is_added_never_replacing_the_earlier_one(south_korea):
    position_record(involvement=south_korea, stance=Stance.OPPOSES, stated_on=datetime.date(2025, 1, 1))
    position_record(involvement=south_korea, stance=Stance.SUPPORTS, stated_on=datetime.date(2025, 5, 1))
    assert list(south_korea.statements.values_list("stance", flat=True)) == ["opposes", "supports"]


def test_a_condition_can_point_at_the_request_whose_verification_it_waits_for(south_korea):
    transfer = factories.StatedRequestFactory(case=south_korea.case, category="transfer")
    statement = position_record(
        involvement=south_korea,
        stance=Stance.CONDITIONAL,
        stated_on=None,
        stated_on_precision="unknown",
        request=transfer,
        condition_request=transfer,
        condition="If their intentions are verified.",
    )
    assert list(transfer.conditions_on.all()) == [statement]
