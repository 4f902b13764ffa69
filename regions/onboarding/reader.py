"""Reading the offices' files: CSV as Swedish Excel saves it, or an XLSX workbook.

CSV: semicolon-separated (comma or tab accepted too), UTF-8 with or without a
byte-order mark, or Windows-1252 (Excel's "CSV (semikolonavgränsad)"). A value
that our own exports protected against formulas (a leading `'`) is read back
without the quote. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from regions.onboarding.columns import TABLES, Table, names_of, normalised, table_for
from stprogram.exports import FORMULA_STARTS

MAX_ROWS = 20_000
# The template's sheet that explains the columns; it holds no data.
INSTRUCTIONS = "Instruktioner"

type Cell = str | date | int | float | None


class FileError(Exception):
    """A file that cannot be read as any of the tables; the message is for the user."""


@dataclass
class Sheet:
    table: Table
    source: str  # the file, and the sheet of a workbook
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)


def read_files(files: list[tuple[str, bytes]]) -> list[Sheet]:
    """Every table in the files, in the order units, people, trainees."""
    sheets = [sheet for name, data in files for sheet in read_file(name, data)]
    if sum(len(s.rows) for s in sheets) > MAX_ROWS:
        raise FileError(_("Filerna har fler än %(n)s rader; dela upp dem.") % {"n": MAX_ROWS})
    return sorted(sheets, key=lambda s: TABLES.index(s.table))


def read_file(name: str, data: bytes) -> list[Sheet]:
    """The tables in one file, XLSX (recognised by its content) or CSV."""
    if data.startswith(b"PK\x03\x04"):
        return _workbook(name, data)
    return [_sheet(name, "", _csv_rows(name, data))]


def _decode(name: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise FileError(_("%(file)s är varken en CSV-fil eller en XLSX-fil.") % {"file": name})
    return data.decode("cp1252", errors="replace")


def _csv_rows(name: str, data: bytes) -> list[tuple[int, list[Cell]]]:
    text = _decode(name, data)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, list(row)) for row in reader]
    except csv.Error as error:
        raise FileError(
            _("%(file)s kan inte läsas som CSV (rad %(line)s).")
            % {"file": name, "line": reader.line_num}
        ) from error


def _workbook(name: str, data: bytes) -> list[Sheet]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileError(_("%(file)s kan inte läsas som XLSX.") % {"file": name}) from error
    sheets = []
    try:
        for ws in book.worksheets:
            if normalised(ws.title) == normalised(INSTRUCTIONS):
                continue
            rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
            if any(_filled(r) for _, r in rows):
                sheets.append(_sheet(name, ws.title, rows))
    finally:
        book.close()
    return sheets


def _sheet(name: str, sheet_name: str, rows: list[tuple[int, list[Cell]]]) -> Sheet:
    rows = [(line, row) for line, row in rows if _filled(row)]
    source = f"{name}, {_('fliken')} {sheet_name}" if sheet_name else name
    if not rows:
        raise FileError(_("%(source)s är tom.") % {"source": source})
    (_line, header), *body = rows
    headers = [normalised(h) for h in header]
    table = table_for(headers, sheet_name)
    if table is None:
        raise FileError(_unknown(source, header))
    columns = _columns(table, headers, source)
    sheet = Sheet(table=table, source=source, columns=columns)
    sheet.rows = [(line, {k: _clean(row, i) for k, i in columns.items()}) for line, row in body]
    return sheet


def _columns(table: Table, headers: list[str], source: str) -> dict[str, int]:
    columns = {}
    for column in table.columns:
        found = [i for i, h in enumerate(headers) if h in names_of(column)]
        if found:
            columns[column.key] = found[0]
        elif column.required:
            raise FileError(
                _("%(source)s (%(table)s) saknar kolumnen ”%(column)s”.")
                % {"source": source, "table": table.label, "column": column.header}
            )
    return columns


def _unknown(source: str, header: list[Cell]) -> str:
    expected = "; ".join(
        f"{t.sheet}: {', '.join(c.header for c in t.columns if c.required)}" for t in TABLES
    )
    given = ", ".join(str(h) for h in header if h not in (None, ""))[:200]
    return _(
        "%(source)s: rubrikraden (%(given)s) motsvarar ingen av tabellerna. Väntade rubriker: "
        "%(expected)s. Ladda ner mallen."
    ) % {"source": source, "given": given or "–", "expected": expected}


def _filled(row: list[Cell]) -> bool:
    return any(v not in (None, "") and str(v).strip() for v in row)


def _clean(row: list[Cell], index: int) -> Cell:
    value = row[index] if index < len(row) else None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]
        return value or None
    return value
