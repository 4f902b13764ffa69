"""Swedish first, English second: the English catalogue is complete and in sync."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORED = shutil.ignore_patterns(".venv", ".bootstrap", "var", ".git", "__pycache__", "*.mo")


def test_every_english_entry_is_translated():
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_catalogue_contains_every_string_in_the_code(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=tests", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "STPROGRAM_VAR_DIR": str(tmp_path / "var")},
    )
    fresh = {
        e.msgid for e in polib.pofile(str(copy / CATALOGUE.relative_to(ROOT))) if not e.obsolete
    }
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"


def test_english_switch_changes_the_interface(world, login):
    client = login(world.trainee.user)
    swedish = client.get("/blekinge/min-st/")
    assert '<html lang="sv">' in swedish.text
    assert "Beräknat slutdatum" in swedish.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/blekinge/min-st/"})
    english = client.get("/blekinge/min-st/")
    assert '<html lang="en">' in english.text
    assert "Planned end date" in english.text
    assert "Beräknat slutdatum" not in english.text


def test_browser_language_does_not_override_swedish(world, login):
    client = login(world.trainee.user)
    page = client.get("/blekinge/min-st/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="sv">' in page.text
    assert page["Content-Language"] == "sv"
