"""Onboarding files as the offices keep them: a workbook, or semicolon CSV from Excel."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook

from regions.onboarding.columns import PEOPLE, TRAINEES, UNITS, Table

ORG = "SE2321000081"


def units(n: int = 1) -> list[list[object]]:
    """n units, each with its head of unit (by HSA-id) and study director (by e-mail)."""
    return [
        [
            f"{ORG}-E{i:03}",
            f"Vårdcentralen Ek {i}",
            "Vårdcentral",
            "Allmänmedicin",
            f"{ORG}-vc{i:03}",
            f"sr{i}@blekinge.test",
        ]
        for i in range(n)
    ]


def people(n_units: int = 1, supervisors_per_unit: int = 1) -> list[list[object]]:
    """Each unit's head, study director and supervisors."""
    rows = []
    for i in range(n_units):
        code = f"{ORG}-E{i:03}"
        rows.append(
            [f"{ORG}-vc{i:03}", f"vc{i}@blekinge.test", "Vera", f"Chef{i}", "Verksamhetschef", code]
        )
        rows.append(
            [f"{ORG}-sr{i:03}", f"sr{i}@blekinge.test", "Sara", f"Rektor{i}", "Studierektor", code]
        )
        for j in range(supervisors_per_unit):
            rows.append(
                [
                    f"{ORG}-hl{i:03}x{j}",
                    f"hl{i}.{j}@blekinge.test",
                    "Hugo",
                    f"Handledare{i}x{j}",
                    "Handledare",
                    code,
                ]
            )
    return rows


def trainees(n: int = 2, n_units: int = 1, supervisors_per_unit: int = 1) -> list[list[object]]:
    """n trainees spread over the units, under 2021:8 with a BT."""
    rows = []
    for k in range(n):
        i, j = k % n_units, k % supervisors_per_unit
        rows.append(
            [
                f"{ORG}-st{k:05}",
                f"st{k}@blekinge.test",
                "Stina",
                f"Lakare{k}",
                "HSLF-FS 2021:8",
                "Allmänmedicin",
                date(2025, 2, 1),
                date(2025, 12, 31),
                100,
                0,
                f"{ORG}-E{i:03}",
                f"hl{i}.{j}@blekinge.test",
                f"{ORG}-sr{i:03}",
                "",
            ]
        )
    return rows


def headers(table: Table) -> list[str]:
    return [c.header for c in table.columns]


def workbook(
    unit_rows: list | None = None, people_rows: list | None = None, trainee_rows: list | None = None
) -> bytes:
    """The three tables as one XLSX workbook, as the template has them."""
    book = Workbook()
    book.remove(book.active)
    for table, rows in ((UNITS, unit_rows), (PEOPLE, people_rows), (TRAINEES, trainee_rows)):
        if rows is None:
            continue
        sheet = book.create_sheet(table.sheet)
        sheet.append(headers(table))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(table: Table, rows: list, *, encoding: str = "utf-8-sig") -> bytes:
    """One table as Excel's "CSV (semikolonavgränsad)" saves it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers(table))
    writer.writerows([v.isoformat() if isinstance(v, date) else v for v in row] for row in rows)
    return buffer.getvalue().encode(encoding)


def full(n_trainees: int = 2, n_units: int = 1, supervisors_per_unit: int = 1) -> bytes:
    """A region's units, staff and trainees in one workbook."""
    return workbook(
        units(n_units),
        people(n_units, supervisors_per_unit),
        trainees(n_trainees, n_units, supervisors_per_unit),
    )
