"""Every string marked for translation has a Bahasa Indonesia translation, compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tests.conftest import require

BASE_DIR = Path(__file__).resolve().parents[1]
PO_FILE = BASE_DIR / "locale/id/LC_MESSAGES/django.po"
SOURCES = ["ascn_portal", "meetings", "delegations", "panels", "pilots", "templates"]


def test_every_catalogue_entry_is_translated():
    catalogue = polib.pofile(str(PO_FILE))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_source():
    source = polib.pofile(str(PO_FILE))
    compiled = polib.mofile(str(PO_FILE.with_suffix(".mo")))

    assert {e.msgid: e.msgstr for e in compiled if e.msgid} == {
        e.msgid: e.msgstr for e in source.translated_entries()
    }


def test_catalogue_holds_every_marked_string(tmp_path):
    if shutil.which("xgettext") is None:
        require("xgettext (Debian package gettext) is not installed")
    for name in [*SOURCES, "manage.py"]:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "ASCN_VAR_DIR": str(tmp_path / "var")},
    )

    marked = {e.msgid for e in polib.pofile(str(tmp_path / "locale/id/LC_MESSAGES/django.po"))}
    translated = {e.msgid for e in polib.pofile(str(PO_FILE)).translated_entries()}
    assert sorted(marked - translated) == []
