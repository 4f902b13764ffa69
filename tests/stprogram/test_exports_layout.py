"""Issue 25 item 4: an XLSX export a study director can work with straight away."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook

from stprogram import exports

TABLE = [
    ["ST-läkare", "Enhet", "Start", "ST-kontrakt"],
    ["=HYPERLINK(1)", "Vårdcentralen Ronneby", date(2025, 1, 13), "Klar (2025-02-13)"],
    ["Åsa Öberg", "Kirurgiska kliniken, Karlskrona lasarett", date(2024, 9, 2), ""],
]


def _sheet():
    response = exports.xlsx_response(TABLE, filename="x", sheet_title="ST-läkare")
    return load_workbook(io.BytesIO(response.content)).active


def test_the_header_row_is_frozen_bold_and_filtered():
    sheet = _sheet()
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert all(cell.font.b for cell in sheet[1])


def test_dates_are_date_cells_shown_as_iso_dates():
    cell = _sheet()["C2"]
    assert cell.is_date
    assert cell.value == datetime(2025, 1, 13)
    assert cell.number_format == "yyyy-mm-dd"


def test_columns_are_as_wide_as_their_longest_value():
    widths = {letter: d.width for letter, d in _sheet().column_dimensions.items()}
    assert widths["B"] >= len("Kirurgiska kliniken, Karlskrona lasarett")
    assert exports.MIN_WIDTH <= widths["C"] < widths["B"]


def test_formula_like_text_stays_text_in_the_laid_out_sheet():
    cell = _sheet()["A2"]
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_the_csv_is_unchanged_for_swedish_excel():
    body = exports.csv_response(TABLE, filename="x").content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1] == ["'=HYPERLINK(1)", "Vårdcentralen Ronneby", "2025-01-13", "Klar (2025-02-13)"]
