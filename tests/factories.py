"""Rows for tests: one factory per model, with plausible defaults."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from casework import models as casework
from events import models as events
from people import models as people


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a long enough password")
    is_staff = True


def user_with_role(username: str, role: str):
    """A user in one of the role groups (core/roles.py)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.Government
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Government {n}")
    country = "UA"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.Case

    title = factory.Sequence(lambda n: f"Case {n}")
    opened_on = datetime.date(2025, 1, 15)


class RestrictedCaseFactory(CaseFactory):
    confidentiality = casework.Confidentiality.RESTRICTED


class CaseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.CaseMember

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Person

    display_name = factory.Sequence(lambda n: f"Person {n}")
    nationality = "KP"
    status = people.PersonStatus.IN_DETENTION


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PersonName

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class PersonIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PersonIdentifier

    person = factory.SubFactory(PersonFactory)
    kind = people.IdentifierKind.ICRC
    value = factory.Sequence(lambda n: f"ICRC-{n:05d}")


class DetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Detention

    person = factory.SubFactory(PersonFactory)
    facility = "Detention facility"
    started_on = datetime.date(2025, 1, 1)
    started_on_precision = "month"


class CaseSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.CaseSubject
        django_get_or_create = ("case", "person")  # a request's factory may have put them in the case

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)


class StatedRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.StatedRequest
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    category = casework.RequestCategory.MEDICINE
    summary = "Medicine"
    first_stated_on = datetime.date(2025, 2, 1)
    first_stated_on_precision = "month"

    @factory.post_generation
    def in_its_case(obj, create, extracted, **kwargs):
        """A request is made by one of its case's people, as every interface records it
        (``in_its_case=False``: a person held elsewhere, as the attack world makes)."""
        if create and extracted is not False:
            casework.CaseSubject.objects.get_or_create(case=obj.case, person=obj.person)


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.Involvement

    case = factory.SubFactory(CaseFactory)
    government = factory.SubFactory(GovernmentFactory)
    role = casework.GovernmentRole.RECEIVING_STATE


class PositionStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.PositionStatement

    involvement = factory.SubFactory(InvolvementFactory)
    stance = casework.Stance.SUPPORTS
    stated_on = datetime.date(2025, 3, 1)
    stated_on_precision = "month"


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.Intervention

    case = factory.SubFactory(CaseFactory)
    kind = casework.InterventionKind.LETTER
    occurred_on = datetime.date(2025, 4, 2)


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.CaseNote

    case = factory.SubFactory(CaseFactory)
    body = "Called the embassy."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.FollowUp

    case = factory.SubFactory(CaseFactory)
    title = "Ask for an ICRC visit"
    due_on = datetime.date(2025, 5, 1)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = events.Source

    kind = events.SourceKind.NEWS_REPORT
    title = factory.Sequence(lambda n: f"Report {n}")
    published_on = datetime.date(2025, 4, 3)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = events.Event

    case = factory.SubFactory(CaseFactory)
    kind = events.EventKind.MEDIA_REPORT
    title = factory.Sequence(lambda n: f"Event {n}")
    occurred_on = datetime.date(2025, 1, 9)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = events.Citation

    source = factory.SubFactory(SourceFactory)
    event = factory.SubFactory(EventFactory)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.Actor

    kind = "individual"
    name = factory.Sequence(lambda n: f"Actor {n}")


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.LegalBasis
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Legal basis {n}")


class LegalArgumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = casework.LegalArgument

    case = factory.SubFactory(CaseFactory)
    basis = factory.SubFactory(LegalBasisFactory)
    argument = "Asylum would align with the receiving state's humanitarian obligations."
