"""The legal bases an advocate reaches for first; data managers add more in the admin."""

from django.db import migrations

BASES = [
    (
        "GC III Art. 118: release and repatriation",
        "Third Geneva Convention (1949)",
        "Prisoners of war are released and repatriated without delay after the cessation of active hostilities; "
        "read with the ICRC's practice of not repatriating a prisoner against their will.",
        "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-118",
    ),
    (
        "GC III Art. 109–117: repatriation during hostilities",
        "Third Geneva Convention (1949)",
        "Direct repatriation or accommodation in a neutral country of sick and wounded prisoners of war.",
        "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-109",
    ),
    (
        "Non-refoulement",
        "Refugee Convention Art. 33; CAT Art. 3; ICCPR Art. 6 and 7; customary international law",
        "No one may be returned to a country where they face persecution, torture, execution or other "
        "irreparable harm.",
        "",
    ),
    (
        "Receiving state's nationality law",
        "e.g. Constitution of the Republic of Korea Art. 3; Nationality Act",
        "The receiving state holds the person to be its national (South Korea: North Koreans are citizens of "
        "the Republic of Korea) and may accept them as such.",
        "",
    ),
    (
        "Humanitarian obligations of the receiving state",
        "e.g. North Korean Refugees Protection and Settlement Support Act (Republic of Korea)",
        "The receiving state's duty and policy to protect and resettle those who ask for its protection.",
        "",
    ),
    (
        "Right to seek asylum",
        "Universal Declaration of Human Rights Art. 14",
        "Everyone has the right to seek and to enjoy in other countries asylum from persecution.",
        "",
    ),
]


def seed(apps, schema_editor):
    LegalBasis = apps.get_model("casework", "LegalBasis")
    for name, instrument, summary, url in BASES:
        LegalBasis.objects.get_or_create(name=name, defaults={"instrument": instrument, "summary": summary, "url": url})


class Migration(migrations.Migration):
    dependencies = [("casework", "0014_actors_legal_bases_arguments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
