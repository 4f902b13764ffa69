"""The template to download: the three tables' headers, as XLSX (with instructions) or CSV."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from regions.onboarding.columns import TABLES, Table
from regions.onboarding.reader import INSTRUCTIONS
from stprogram.exports import XLSX_TYPE, csv_response

CSV_NAMES = {"enheter": "units", "personal": "people", "st-lakare": "trainees"}


def table_by_csv_name(name: str) -> Table | None:
    """The table a CSV template's name stands for."""
    key = CSV_NAMES.get(name)
    return next((t for t in TABLES if t.key == key), None)


def csv_template(name: str, table: Table) -> HttpResponse:
    """One table's header row as Swedish Excel's CSV."""
    return csv_response([[c.header for c in table.columns]], filename=f"mall-{name}")


def xlsx_template() -> HttpResponse:
    """A workbook with one sheet per table, and a sheet explaining every column."""
    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        sheet = book.create_sheet(table.sheet)
        sheet.append([c.header for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    sheet = book.create_sheet(INSTRUCTIONS)
    sheet.append([_("Flik"), _("Kolumn"), _("Obligatorisk"), _("Så skrivs den")])
    for table in TABLES:
        for c in table.columns:
            sheet.append([table.sheet, c.header, _("ja") if c.required else _("nej"), str(c.hint)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mall-inlasning.xlsx"'
    return response
