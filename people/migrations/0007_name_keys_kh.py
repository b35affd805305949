"""Name keys gained a variant reading "kh" as "h" (Cyrillic Х for Korean ㅎ): recompute
the keys of every name that has a "kh" in its Latin form (the rest are unchanged)."""

from django.db import migrations


def refresh(apps, schema_editor):
    from people.names import name_keys

    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    with_kh = r"[ХхKk][Hh]|[Хх]"
    for person in Person.objects.filter(display_name__regex=with_kh).iterator(chunk_size=2000):
        Person.objects.filter(pk=person.pk).update(name_keys=name_keys(person.display_name, person.name_original))
    for person in Person.objects.filter(name_original__regex=with_kh).iterator(chunk_size=2000):
        Person.objects.filter(pk=person.pk).update(name_keys=name_keys(person.display_name, person.name_original))
    for name in PersonName.objects.filter(name__regex=with_kh).iterator(chunk_size=2000):
        PersonName.objects.filter(pk=name.pk).update(name_keys=name_keys(name.name))


class Migration(migrations.Migration):
    dependencies = [("people", "0006_duplicates_and_merges")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
