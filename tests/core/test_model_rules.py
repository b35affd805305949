"""The rules the database itself keeps, whatever code path writes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from casework.models import Case, CaseSubject, PositionStatement, Stance
from tests import factories


def test_a_detention_cannot_end_before_it_starts(db):
    with pytest.raises(IntegrityError, match="detention_ends_after_it_starts"):
        factories.DetentionFactory(
            started_on=datetime.date(2025, 3, 1),
            started_on_precision="day",
            ended_on=datetime.date(2025, 2, 1),
            ended_on_precision="day",
        )


def test_a_case_cannot_close_before_it_opens(db):
    with pytest.raises(IntegrityError, match="case_closes_after_it_opens"):
        factories.CaseFactory(opened_on=datetime.date(2025, 3, 1), closed_on=datetime.date(2025, 2, 1))


def test_case_references_are_issued_in_sequence_by_the_database(db):
    first, second = factories.CaseFactory(), factories.CaseFactory()
    year = datetime.date.today().year
    assert first.reference.startswith(f"VIG-{year}-")
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1


def test_a_deleted_case_reference_is_never_issued_again(db):
    gone = factories.CaseFactory()
    reference = gone.reference
    gone.delete()
    assert factories.CaseFactory().reference != reference


def test_a_reference_taken_by_an_imported_case_is_skipped(db):
    year = datetime.date.today().year
    nxt = factories.CaseFactory()
    following = f"VIG-{year}-{int(nxt.reference.rsplit('-', 1)[1]) + 1:04d}"
    Case.objects.bulk_create([Case(title="Imported", opened_on=datetime.date(2025, 1, 1), reference=following)])
    assert factories.CaseFactory().reference not in {nxt.reference, following}


def test_a_case_reference_can_never_be_changed(db):
    case = factories.CaseFactory()
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(reference="VIG-1999-0001")


def test_a_case_reference_must_look_like_one(db):
    with pytest.raises(IntegrityError, match="case_reference_format"):
        Case.objects.bulk_create([Case(title="Bad", opened_on=datetime.date(2025, 1, 1), reference="CASE-1")])


def test_a_citation_supports_exactly_one_fact(db):
    event = factories.EventFactory()
    request = factories.StatedRequestFactory(case=event.case)
    with pytest.raises(IntegrityError, match="citation_cites_exactly_one_fact"), transaction.atomic():
        factories.CitationFactory(event=event, request=request)
    with pytest.raises(IntegrityError, match="citation_cites_exactly_one_fact"):
        factories.CitationFactory(event=None)


def test_only_a_transfer_or_asylum_request_has_a_destination(db):
    with pytest.raises(IntegrityError, match="statedrequest_destination_only_for_transfer"):
        factories.StatedRequestFactory(category="medicine", destination_country="KR")


def test_a_person_cannot_be_twice_in_one_case(db):
    subject = factories.CaseSubjectFactory()
    with pytest.raises(IntegrityError, match="casesubject_unique"):
        CaseSubject.objects.create(case=subject.case, person=subject.person)


def test_a_position_cannot_be_about_a_request_of_another_case(db):
    involvement = factories.InvolvementFactory()
    elsewhere = factories.StatedRequestFactory()
    statement = PositionStatement(involvement=involvement, request=elsewhere, stance=Stance.SUPPORTS)
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert error.value.message_dict["request"] == ["This request belongs to another case."]


def test_only_a_conditional_position_depends_on_another_request(db):
    with pytest.raises(IntegrityError, match="positionstatement_condition_needs_conditional"):
        involvement = factories.InvolvementFactory()
        factories.PositionStatementFactory(
            involvement=involvement,
            stance=Stance.SUPPORTS,
            condition_request=factories.StatedRequestFactory(case=involvement.case),
        )


def test_every_model_reads_as_text_and_has_a_page(db):
    event = factories.CitationFactory().event
    request = factories.StatedRequestFactory(case=event.case)
    for obj in (
        event,
        event.case,
        request,
        factories.PersonNameFactory(),
        factories.PersonIdentifierFactory(),
        factories.DetentionFactory(),
        factories.InvolvementFactory(case=event.case),
        factories.PositionStatementFactory(),
        factories.InterventionFactory(),
        factories.CaseNoteFactory(),
        factories.FollowUpFactory(),
        factories.SourceFactory(),
        factories.GovernmentFactory(),
    ):
        assert str(obj)
        assert obj.get_absolute_url().startswith("/")
