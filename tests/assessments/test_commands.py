"""The two commands: load_curriculum FILE … and load_catalogue."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Goal
from tests.assessments.conftest import HEADER, catalogue_state

ROWS = "".join(f"SOSFS 2015:8,geriatrik,Geriatrik,c{n},,Text.,true\n" for n in (1, 2))


def run(*args: str, **options: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_load_curriculum_loads_a_file_and_says_what_it_did(db, write_csv):
    out, err = run("load_curriculum", str(write_csv(HEADER + ROWS, name="geriatrik.csv")))
    assert "geriatrik.csv (Geriatrik): 2 delmål – nya 2, ändrade 0, oförändrade 0" in out
    assert "Klart: 1 filer, 2 delmål." in out
    assert err == ""
    assert list(Goal.objects.values_list("code", flat=True)) == ["c1", "c2"]


def test_load_curriculum_exits_with_2_and_loads_nothing_when_a_file_is_invalid(db, write_csv):
    call_command("load_catalogue", verbosity=0)
    before = catalogue_state()
    good = write_csv(HEADER + ROWS, name="geriatrik.csv")
    bad = write_csv(HEADER + ROWS.replace("c2", "STc2"), name="trasig.csv")
    with pytest.raises(SystemExit) as exited:
        run("load_curriculum", str(good), str(bad))
    assert exited.value.code == 2
    assert catalogue_state() == before


def test_load_curriculum_writes_every_problem_on_stderr(db, write_csv):
    bad = write_csv(HEADER + ROWS.replace("c2", "STc2").replace("c1", "c1 ") + "x\n", "trasig.csv")
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("load_curriculum", str(bad), stdout=StringIO(), stderr=err)
    assert "Ingenting lästes in" in err.getvalue()
    assert 'trasig.csv, rad 3: kolumnen code: okänd kod "STc2" för SOSFS 2015:8' in err.getvalue()
    assert "trasig.csv, rad 4: raden har 1 fält men rubrikraden har 7" in err.getvalue()


def test_load_curriculum_reports_a_missing_file(db, tmp_path):
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("load_curriculum", str(tmp_path / "finns-inte.csv"), stderr=err)
    assert exited.value.code == 2
    assert "finns-inte.csv, filen kan inte läsas" in err.getvalue()


def test_load_catalogue_twice_gives_the_same_catalogue(db):
    out, _ = run("load_catalogue")
    first = catalogue_state()
    again, _ = run("load_catalogue")
    assert catalogue_state() == first
    assert "Klart: 4 filer" in out
    assert "nya 0, ändrade 0" in again


def test_load_catalogue_is_silent_at_verbosity_0(db):
    assert run("load_catalogue", verbosity=0) == ("", "")
    assert Goal.objects.exists()
