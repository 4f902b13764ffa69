"""Spreadsheet downloads (CSV and XLSX): the one way the product writes them.

A spreadsheet evaluates a cell whose text starts with `=`, `+`, `-` or `@`
(and, in some, a tab or carriage return) as a formula, so a name typed by
anyone could become `=HYPERLINK(...)` that sends the next row's personal data
away when the study director opens the file. Text is therefore never left
live: in CSV it gets a leading `'` (OWASP's advice), in XLSX it is written
as a text cell. Real numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

type Value = str | int | float | Decimal | date | None
type Rows = Iterable[Sequence[Value]]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# ISO dates, as on the pages; Excel shows them in this form whatever the locale.
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
# Column widths in characters: wide enough for a date, never wider than a screen's third.
MIN_WIDTH = 10
MAX_WIDTH = 50


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet would read `text` as a formula rather than as text."""
    return text.startswith(FORMULA_STARTS)


def csv_response(rows: Rows, *, filename: str) -> HttpResponse:
    """A CSV download (semicolons and a byte-order mark, as Swedish Excel expects)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([_csv_text(v) for v in row] for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Rows, *, filename: str, sheet_title: str) -> HttpResponse:
    """An XLSX download with one sheet, ready to work with; text cells are never formulas.

    The first row is a frozen header with a filter, dates are date cells and
    each column is as wide as its longest value (within reason).
    """
    rows = [list(row) for row in rows]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    _lay_out(sheet, rows)
    for index, row in enumerate(rows):
        sheet.append([_xlsx_cell(sheet, v, header=index == 0) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f"'{value}" if is_formula_like(value) else value
    # A number as Python writes it: `-2` is the number minus two, not an expression.
    return str(value)


def _lay_out(sheet: WriteOnlyWorksheet, rows: list[list[Value]]) -> None:
    """Column widths, the frozen header row and its filter: set before the first row is written."""
    width = max((len(row) for row in rows), default=0)
    if not rows or not width:
        return
    for index in range(width):
        longest = max(len(_shown(row[index])) for row in rows if index < len(row))
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(rows)}"


def _shown(value: Value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _xlsx_cell(
    sheet: WriteOnlyWorksheet, value: Value, *, header: bool = False
) -> WriteOnlyCell | Value:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    if header:
        cell.font = HEADER_FONT
    # openpyxl makes text that starts with `=` a formula and `#N/A` an error; force text,
    # and the quote prefix keeps it text even after the reader edits the cell.
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True
    return cell
