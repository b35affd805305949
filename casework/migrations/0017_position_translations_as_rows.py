"""A position statement's old ``statement_translation`` column becomes a translation row
(core.TextTranslation) of its ``statement_original``, like every other record's
translations, and the column goes.

The old column had no language: Vigil's interface was English then, so its text is
taken as English ("und", undetermined, when the original itself is English); it was
nobody's in particular ("human", translator unknown) and not checked. A statement
that already has a translation into that language keeps it.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


def _languages(statement_language: str) -> str:
    return "und" if statement_language.split("-")[0].lower() == "en" else "en"


def to_rows(apps, schema_editor):
    PositionStatement = apps.get_model("casework", "PositionStatement")
    TextTranslation = apps.get_model("core", "TextTranslation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="casework", model="positionstatement")
    statements = PositionStatement.objects.exclude(statement_translation="").values_list(
        "pk", "statement_language", "statement_translation"
    )
    for pk, statement_language, text in statements.iterator():
        TextTranslation.objects.get_or_create(
            content_type=content_type,
            object_id=pk,
            field="statement_original",
            language=_languages(statement_language),
            defaults={"text": text, "kind": "human", "translated_by": "", "checked": False},
        )


def to_column(apps, schema_editor):
    PositionStatement = apps.get_model("casework", "PositionStatement")
    TextTranslation = apps.get_model("core", "TextTranslation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="casework", model="positionstatement").first()
    if content_type is None:
        return
    rows = TextTranslation.objects.filter(
        content_type=content_type, field="statement_original", language__in=("en", "und")
    ).order_by("object_id", "language")
    for row in rows.iterator():
        PositionStatement.objects.filter(pk=row.object_id, statement_translation="").update(
            statement_translation=row.text
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0016_merge_20261201_1127"),
        ("core", "0005_translations_user_preferences"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(to_rows, to_column),
        pgtrigger.migrations.RemoveTrigger(
            model_name="positionstatement",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="positionstatement",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="positionstatement",
            name="delete_delete",
        ),
        migrations.RemoveField(
            model_name="positionstatement",
            name="statement_translation",
        ),
        migrations.RemoveField(
            model_name="positionstatementhistory",
            name="statement_translation",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="positionstatement",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "casework_positionstatementhistory" ("condition", "condition_request_id", "created_at", "id", "involvement_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_by_id", "request_id", "source_id", "spoken_by_id", "stance", "stated_on", "stated_on_precision", "statement_key", "statement_language", "statement_original", "updated_at", "version") VALUES (NEW."condition", NEW."condition_request_id", NEW."created_at", NEW."id", NEW."involvement_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_by_id", NEW."request_id", NEW."source_id", NEW."spoken_by_id", NEW."stance", NEW."stated_on", NEW."stated_on_precision", NEW."statement_key", NEW."statement_language", NEW."statement_original", NEW."updated_at", NEW."version"); RETURN NULL;',
                    hash="1b9fe4f120ab08d222ce12ac8d359e01bdec5012",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_a8738",
                    table="casework_positionstatement",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="positionstatement",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "casework_positionstatementhistory" ("condition", "condition_request_id", "created_at", "id", "involvement_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_by_id", "request_id", "source_id", "spoken_by_id", "stance", "stated_on", "stated_on_precision", "statement_key", "statement_language", "statement_original", "updated_at", "version") VALUES (NEW."condition", NEW."condition_request_id", NEW."created_at", NEW."id", NEW."involvement_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_by_id", NEW."request_id", NEW."source_id", NEW."spoken_by_id", NEW."stance", NEW."stated_on", NEW."stated_on_precision", NEW."statement_key", NEW."statement_language", NEW."statement_original", NEW."updated_at", NEW."version"); RETURN NULL;',
                    hash="0d284528c15eafe9dea8d3ad8bc059b029961ebe",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_e22c5",
                    table="casework_positionstatement",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="positionstatement",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "casework_positionstatementhistory" ("condition", "condition_request_id", "created_at", "id", "involvement_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_by_id", "request_id", "source_id", "spoken_by_id", "stance", "stated_on", "stated_on_precision", "statement_key", "statement_language", "statement_original", "updated_at", "version") VALUES (OLD."condition", OLD."condition_request_id", OLD."created_at", OLD."id", OLD."involvement_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_by_id", OLD."request_id", OLD."source_id", OLD."spoken_by_id", OLD."stance", OLD."stated_on", OLD."stated_on_precision", OLD."statement_key", OLD."statement_language", OLD."statement_original", OLD."updated_at", OLD."version"); RETURN NULL;',
                    hash="09f3e49203e8cde109631f106846e9453c923463",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_198dc",
                    table="casework_positionstatement",
                    when="AFTER",
                ),
            ),
        ),
    ]
