"""A restricted case, and all it holds, is visible only to its lead, its team and superusers.

Alice leads the restricted case, Bob is on its team, Olivia is an outsider,
Sam is a superuser.
"""

import pytest

from casework.models import Case, CaseSubject, Involvement, RequestUpdate, StatedRequest
from casework.services import request_update_status
from events.models import Citation, Event, Source
from people.models import Detention, Person, PersonName
from tests import factories


@pytest.fixture
def secret(restricted_case):
    """A person only in the restricted case, with everything hanging off them."""
    person = factories.PersonFactory(display_name="Ri Jong Chol", name_original="리정철")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    factories.PersonNameFactory(person=person, name="Lee Jung-chul")
    factories.DetentionFactory(person=person)
    request = factories.StatedRequestFactory(case=restricted_case, person=person)
    request_update_status(request=request, status="stalled", occurred_on=None, occurred_on_precision="unknown")
    factories.InvolvementFactory(case=restricted_case)
    event = factories.EventFactory(case=restricted_case)
    factories.CitationFactory(event=event, source=factories.SourceFactory(title="Secret interview"))
    return person


MODELS = [Case, CaseSubject, Person, PersonName, Detention, StatedRequest, RequestUpdate, Involvement, Event, Citation]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_outsider_sees_nothing_of_a_restricted_case(model, secret, olivia):
    assert not model.objects.visible_to(olivia).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("who", ["alice", "bob", "sam"])
def test_the_lead_the_team_and_superusers_see_it_all(model, who, secret, request):
    assert model.objects.visible_to(request.getfixturevalue(who)).exists()


def test_a_source_cited_only_in_a_restricted_case_is_hidden_from_outsiders(secret, olivia, bob):
    assert not Source.objects.visible_to(olivia).filter(title="Secret interview").exists()
    assert Source.objects.visible_to(bob).filter(title="Secret interview").exists()


def test_a_source_cited_nowhere_is_reference_material(db, olivia):
    factories.SourceFactory(title="Public report")
    assert Source.objects.visible_to(olivia).filter(title="Public report").exists()


def test_a_person_also_in_a_normal_case_is_visible(secret, olivia, open_case):
    factories.CaseSubjectFactory(case=open_case, person=secret)
    assert Person.objects.visible_to(olivia).filter(pk=secret.pk).exists()


def test_a_person_in_no_case_is_visible_only_to_who_recorded_them(db, olivia, bob):
    loner = factories.PersonFactory(created_by=olivia)
    assert Person.objects.visible_to(olivia).filter(pk=loner.pk).exists()
    assert not Person.objects.visible_to(bob).filter(pk=loner.pk).exists()


def test_normal_cases_are_visible_to_every_signed_in_user(open_case, olivia):
    assert list(Case.objects.visible_to(olivia)) == [open_case]


def test_anonymous_and_inactive_users_see_nothing(open_case, olivia):
    from django.contrib.auth.models import AnonymousUser

    assert not Case.objects.visible_to(AnonymousUser()).exists()
    olivia.is_active = False
    assert not Case.objects.visible_to(olivia).exists()


def test_the_view_all_cases_permission_sees_restricted_cases(restricted_case, olivia):
    from django.contrib.auth.models import Permission

    olivia.user_permissions.add(Permission.objects.get(codename="view_all_cases"))
    olivia = type(olivia).objects.get(pk=olivia.pk)
    assert Case.objects.visible_to(olivia).filter(pk=restricted_case.pk).exists()


def test_visible_to_never_duplicates_a_case_with_many_team_members(restricted_case, alice, bob):
    for _ in range(3):
        factories.CaseMemberFactory(case=restricted_case)
    factories.CaseMemberFactory(case=restricted_case, user=alice)
    assert Case.objects.visible_to(bob).count() == 1
