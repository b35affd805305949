"""Merging two people into one, field by field, and undoing it (the duplicates' last step).

A merge moves every link (case subjects, requests, detentions, names,
identifiers, events' people…) to the survivor in one transaction, sends the
other to the bin as "merged into" it and never crosses visibility; undone
from the bin. ``people.duplicates`` finds and queues the pairs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.bin import RESTORE, bin_move, bin_restore
from people.models import DuplicatePair, PairStatus, Person, PersonMerge, PersonName

MERGE_PERMISSION = "people.change_person"
REVIEW_PERMISSION = "people.review_duplicates"  # data managers (core/roles.py)


#: Person fields a merge may take from the other record.
MERGEABLE_FIELDS = [
    f.name
    for f in Person._meta.concrete_fields
    if f.editable and not f.primary_key and f.name not in {"display_name"} | {"name_keys"}
] + ["display_name"]


def _audience(person: Person) -> frozenset | str:
    """Who can see ``person`` through its cases: everyone (in a normal case, or in
    none), or the teams of the restricted cases it is in."""
    # casework is above people on the ladder (tests/project/test_layers.py): its models by name.
    case_subject, case_member = apps.get_model("casework", "CaseSubject"), apps.get_model("casework", "CaseMember")
    subjects = case_subject.objects.filter(person=person, case__deleted_at__isnull=True).select_related("case")
    cases = [s.case for s in subjects]
    if not cases or any(c.confidentiality == "normal" for c in cases):
        return "everyone"
    members = case_member.objects.filter(case__in=cases).values_list("user_id", flat=True)
    return frozenset({*members, *(c.lead_id for c in cases if c.lead_id)})


def _link_relations():
    """Every foreign key to Person that a merge moves (case subjects, requests,
    detentions, names, identifiers, events' people…), less history and bookkeeping."""
    skip = {DuplicatePair, PersonMerge, Person}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model in skip or not relation.one_to_many or model._meta.app_label == "pghistory":
            continue
        if model.__name__.endswith("History"):
            continue
        yield model, relation.field.name


def person_merge(*, survivor: Person, other: Person, user, take: Iterable[str] = ()) -> PersonMerge:
    """Merge ``other`` into ``survivor``: the fields named in ``take`` come from the
    other record (blank fields of the survivor are filled from it anyway), names
    and identifiers are united, every link moves to the survivor, and the other
    goes to the bin as "merged into" the survivor. One transaction; undone by
    ``person_merge_undo``."""
    with transaction.atomic():
        return _merge(survivor=survivor, other=other, user=user, take=set(take))


def _merge(*, survivor, other, user, take) -> PersonMerge:
    if not all(user.has_perm(p) for p in (MERGE_PERMISSION, "people.delete_person", REVIEW_PERMISSION)):
        raise PermissionDenied(gettext("Only a data manager merges people."))
    visible = Person.objects.visible_to(user)
    if survivor.pk == other.pk:
        raise ValidationError(gettext("A person cannot be merged into themselves."))
    locked = {p.pk: p for p in visible.select_for_update(of=("self",)).filter(pk__in=[survivor.pk, other.pk])}
    if len(locked) != 2:
        raise PermissionDenied(gettext("You may only merge people you may see."))
    survivor, other = locked[survivor.pk], locked[other.pk]
    if _audience(survivor) != _audience(other):
        raise ValidationError(
            gettext(
                "These two are seen by different teams (a restricted case): merging them would show one team's "
                "person to the other. Ask a data manager to move the cases first."
            )
        )
    unknown = take - set(MERGEABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {"take": gettext("Not a field a merge can take: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    before = {name: _json(getattr(survivor, Person._meta.get_field(name).attname)) for name in MERGEABLE_FIELDS}
    changed = []
    for name in MERGEABLE_FIELDS:
        theirs, mine = getattr(other, name), getattr(survivor, name)
        default = Person._meta.get_field(name).get_default()
        wanted = name in take or (mine in ("", None, default) and theirs not in ("", None, default))
        if wanted and theirs != mine:
            setattr(survivor, name, theirs)
            changed.append(name)
    if changed:
        survivor.save()
    moved: dict[str, list[int]] = {}
    for model, fk in _link_relations():
        for row in model._base_manager.filter(**{fk: other.pk}).only("pk"):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=row.pk).update(**{fk: survivor.pk})
            except IntegrityError:
                continue  # the survivor already has it (same case, same name): it stays with the other, binned
            moved.setdefault(model._meta.label, []).append(row.pk)
    names_added = []
    known = {survivor.display_name, survivor.name_original, *survivor.names.values_list("name", flat=True)}
    for name in (other.display_name, other.name_original):
        if name and name not in known:
            added = PersonName.objects.create(person=survivor, name=name, note=f"from merged record #{other.pk}")
            names_added.append(added.pk)
            known.add(name)
    merge = PersonMerge.objects.create(
        survivor=survivor, merged=other, merged_by=user, survivor_before=before, moved=moved, names_added=names_added
    )
    Person.objects.filter(pk=other.pk).update(merged_into=survivor)
    bin_move(other, user=user)
    a, b = sorted((survivor.pk, other.pk))
    DuplicatePair.objects.filter(person_a=a, person_b=b).update(
        status=PairStatus.MERGED, decided_by=user, decided_at=timezone.now()
    )
    return merge


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "code"):  # a django-countries Country
        return value.code or ""
    return value


@transaction.atomic
def person_merge_undo(*, merge: PersonMerge, user) -> None:
    """Undo a merge from the bin: the links go back, the survivor's values are as
    they were, the names the merge added are removed and the other is restored."""

    if not user.has_perm(RESTORE):
        raise PermissionDenied(gettext("Only a data manager undoes a merge."))
    if merge.undone_at:
        raise ValidationError(gettext("This merge was already undone."))
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    other = Person.objects.get(pk=merge.merged_id)
    relations = {model._meta.label: fk for model, fk in _link_relations()}
    for label, ids in merge.moved.items():
        model = apps.get_model(label)
        model._base_manager.filter(pk__in=ids).update(**{relations[label]: other.pk})
    PersonName.objects.filter(pk__in=merge.names_added).delete()
    for name, value in merge.survivor_before.items():
        field = Person._meta.get_field(name)
        if field.get_internal_type() == "DateField" and value:
            value = datetime.date.fromisoformat(value)
        setattr(survivor, field.attname, value)
    survivor.save()
    Person.objects.filter(pk=other.pk).update(merged_into=None)
    other.merged_into = None  # restored as itself, not through its merge again (Person.restore_from_bin)
    bin_restore(other, user=user)
    PersonMerge.objects.filter(pk=merge.pk).update(undone_at=timezone.now(), undone_by=user)
    a, b = sorted((survivor.pk, other.pk))
    DuplicatePair.objects.filter(person_a=a, person_b=b).update(
        status=PairStatus.OPEN, decided_by=None, decided_at=None
    )


def merged_survivor(*, pk: int, user) -> Person | None:
    """The person a merged record now lives on, if ``user`` may see it (for redirects)."""
    merged = Person.objects.filter(pk=pk, merged_into__isnull=False).values_list("merged_into", flat=True).first()
    seen = set()
    while merged is not None and merged not in seen:
        seen.add(merged)
        survivor = Person.objects.visible_to(user).filter(pk=merged).first()
        if survivor is not None:
            return survivor
        merged = Person.objects.filter(pk=merged).values_list("merged_into", flat=True).first()
    return None


def merge_differences(survivor: Person, other: Person) -> list[dict]:
    """The fields where the two records differ, for choosing which value wins."""
    rows = []
    for name in MERGEABLE_FIELDS:
        field = Person._meta.get_field(name)
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if mine == theirs or theirs in ("", None):
            continue
        if name in Person.SENSITIVE_FIELDS:
            continue  # merged like the rest (blank filled), but not shown side by side
        display = f"get_{name}_display"
        rows.append(
            {
                "name": name,
                "label": str(field.verbose_name),
                "mine": getattr(survivor, display)() if hasattr(survivor, display) else mine,
                "theirs": getattr(other, display)() if hasattr(other, display) else theirs,
                "fills_blank": mine in ("", None, field.get_default()),
            }
        )
    return rows
