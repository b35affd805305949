"""The shipped translation catalogues are complete: every string the source marks
(locale/source-strings.pot, kept in step with the source by makemessages, checked below
when GNU gettext is installed) is translated in every language of LANGUAGES, none
fuzzy, plurals in the language's own number of forms, placeholders kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
PLURALS = {"ko": 1, "uk": 3, "ru": 3}
# Every msgid the source marks (makemessages' output; not named django.pot, which makemessages
# writes and deletes in each locale folder).
TEMPLATE = LOCALE / "source-strings.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}")


def catalogue(path: Path):
    with path.open("rb") as po:
        return read_po(po)


def msgids(path: Path) -> set:
    return {message.id for message in catalogue(path) if message.id}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_catalogue_translates_every_marked_string(language):
    po = catalogue(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert msgids(LOCALE / language / "LC_MESSAGES" / "django.po") == msgids(TEMPLATE)
    untranslated = [m.id for m in po if m.id and (not m.string or not all(m.string if m.pluralizable else [m.string]))]
    assert not untranslated, f"{language}: untranslated {untranslated[:10]}"
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", SHIPPED)
def test_plurals_have_the_languages_own_number_of_forms(language):
    po = catalogue(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert po.num_plurals == PLURALS[language]
    for message in po:
        if message.id and message.pluralizable:
            assert len(message.string) == PLURALS[language], message.id


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_every_placeholder(language):
    for message in catalogue(LOCALE / language / "LC_MESSAGES" / "django.po"):
        if not message.id:
            continue
        source = message.id[0] if message.pluralizable else message.id
        wanted = {a or b for a, b in PLACEHOLDER.findall(source)}
        for string in message.string if message.pluralizable else [message.string]:
            assert {a or b for a, b in PLACEHOLDER.findall(string)} == wanted, (message.id, string)


def test_the_compiled_catalogues_are_read(settings):
    with translation.override("uk"):
        assert translation.gettext("Cases") == "Справи"
    with translation.override("ko"):
        assert translation.gettext("prisoner of war") == "전쟁포로"
    with translation.override("ru"):
        assert translation.ngettext("%(counter)s unread", "%(counter)s unread", 5) == "%(counter)s непрочитанных"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (developers only)")
def test_the_committed_template_holds_every_string_the_source_marks(tmp_path, settings):
    """A developer who marks a string runs makemessages and updates the catalogues (docs/languages.md)."""
    import os

    from django.core.management import call_command

    # makemessages writes beside the sources it finds a locale/ folder next to: run it on a copy.
    copy = tmp_path / "source"
    skipped = {"bench", "tests", "staticfiles", "locale", "node_modules", "backups", "test-artifacts"}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in skipped and not name.startswith(".")]
        for name in files:
            if Path(name).suffix in {".py", ".html", ".txt"}:
                target = copy / Path(folder).relative_to(ROOT) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(folder) / name, target)
    settings.LOCALE_PATHS = [copy / "locale"]
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["xx"], verbosity=0)
    finally:
        os.chdir(cwd)
    extracted = copy / "locale" / "xx" / "LC_MESSAGES" / "django.po"
    # makemessages leaves the plural rule of an unknown language as a placeholder.
    extracted.write_text(extracted.read_text().replace("nplurals=INTEGER; plural=EXPRESSION", "nplurals=2; plural=n"))
    found = msgids(extracted)
    assert found == msgids(TEMPLATE), {
        "marked but not in locale/source-strings.pot": sorted(map(str, found - msgids(TEMPLATE)))[:20],
        "in locale/source-strings.pot but no longer marked": sorted(map(str, msgids(TEMPLATE) - found))[:20],
    }


def test_catalogues_compile_without_gnu_gettext(tmp_path):
    """make run, make test and the Docker image compile .po to .mo with Babel (scripts/compile_catalogues.py)."""
    import gettext
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from compile_catalogues import compile_catalogues

    folder = tmp_path / "locale" / "uk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copyfile(LOCALE / "uk" / "LC_MESSAGES" / "django.po", folder / "django.po")
    assert compile_catalogues(tmp_path) == [folder / "django.mo"]
    assert compile_catalogues(tmp_path) == []  # up to date: left alone
    compiled = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    assert compiled.gettext("prisoner of war") == "військовополонений"
    assert compiled.ngettext("%(counter)s unread", "%(counter)s unread", 3) == "%(counter)s непрочитані"
