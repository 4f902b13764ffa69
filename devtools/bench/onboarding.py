"""Benchmark of the bulk onboarding: a region's trainees with their staff, rolled back afterwards.

Builds a workbook as HR would send it (units with their heads and study
directors, the staff, the trainees), then times reading and checking it (the
dry run), the real run (writes, audit history, invitations owed, obligations
stored), and a re-run's check, which must find every row unchanged.
"""

from __future__ import annotations

import io
import time
import uuid
from datetime import date
from typing import Any

from django.db import connection, transaction
from openpyxl import Workbook

from assessments.models import Specialty
from regions.models import Region
from regions.onboarding.columns import PEOPLE, TRAINEES, UNITS, Table
from regions.onboarding.services import onboarding_import, onboarding_plan
from regions.tenancy import region_context
from stprogram.models import User

TRAINEES_PER_UNIT = 10
SUPERVISORS_PER_UNIT = 3
ORG = "SE2321000099"


class RollbackError(Exception):
    """Raised to undo everything the benchmark wrote."""


def bench_onboarding(trainees: int) -> dict[str, Any]:
    """Time the dry run, the real run and a re-run's check for `trainees` trainees."""
    figures: dict[str, Any] = {"database": connection.vendor, "trainees": trainees}
    try:
        with transaction.atomic():
            _measure(trainees, figures)
            raise RollbackError
    except RollbackError:
        pass
    return figures


def _measure(trainees: int, figures: dict[str, Any]) -> None:
    tag = uuid.uuid4().hex[:8]
    # A region with a rule profile (the obligations are stored for its rules);
    # the names and addresses carry a tag, so existing rows never collide.
    region, _ = Region.objects.get_or_create(slug="blekinge", defaults={"name": "Region Blekinge"})
    specialty, _ = Specialty.objects.get_or_create(
        slug="allmanmedicin", defaults={"name": "Allmänmedicin"}
    )
    actor = User.objects.create_user(email=f"bench-{tag}@bench.invalid")
    units = max(1, trainees // TRAINEES_PER_UNIT)
    files = [("bench.xlsx", workbook(units, trainees, specialty.name, tag))]
    figures.update(
        units=units, staff=units * (2 + SUPERVISORS_PER_UNIT), size_kb=len(files[0][1]) // 1024
    )
    with region_context(region):
        started = time.perf_counter()
        plan = onboarding_plan(region=region, files=files)
        figures["dry_run_seconds"] = time.perf_counter() - started
        figures["refused"] = len(plan.refused)
        started = time.perf_counter()
        summary = onboarding_import(region=region, by=actor, files=files, progress=lambda s: None)
        figures["run_seconds"] = time.perf_counter() - started
        figures["written"] = summary["written"]
        started = time.perf_counter()
        again = onboarding_plan(region=region, files=files)
        figures["rerun_check_seconds"] = time.perf_counter() - started
        figures["rerun_unchanged"] = again.counts()["same"] == len(again.results)


def workbook(units: int, trainees: int, specialty: str, tag: str) -> bytes:
    """The three tables, `trainees` spread evenly over `units` units."""
    book = Workbook(write_only=True)
    _sheet(book, UNITS, (_unit(i, specialty, tag) for i in range(units)))
    _sheet(book, PEOPLE, (row for i in range(units) for row in _staff(i, tag)))
    _sheet(book, TRAINEES, (_trainee(k, k % units, specialty, tag) for k in range(trainees)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, table: Table, rows: Any) -> None:
    sheet = book.create_sheet(table.sheet)
    sheet.append([c.header for c in table.columns])
    for row in rows:
        sheet.append(row)


def _unit(i: int, specialty: str, tag: str) -> list[Any]:
    return [f"{ORG}-U{i:05}", f"Enhet {i} {tag}", "Vårdcentral", specialty,
            f"{ORG}-vc{i:05}", f"sr{i}.{tag}@bench.invalid"]  # fmt: skip


def _staff(i: int, tag: str) -> list[list[Any]]:
    code = f"{ORG}-U{i:05}"
    rows = [
        [f"{ORG}-vc{i:05}", f"vc{i}.{tag}@bench.invalid", "Vera", f"Chef {i}",
         "Verksamhetschef", code],
        [f"{ORG}-sr{i:05}", f"sr{i}.{tag}@bench.invalid", "Sara", f"Rektor {i}",
         "Studierektor", code],
    ]  # fmt: skip
    rows += [
        [f"{ORG}-hl{i:05}x{j}", f"hl{i}.{j}.{tag}@bench.invalid", "Hugo", f"Handledare {i}-{j}",
         "Handledare", code]
        for j in range(SUPERVISORS_PER_UNIT)
    ]  # fmt: skip
    return rows


def _trainee(k: int, i: int, specialty: str, tag: str) -> list[Any]:
    j = k % SUPERVISORS_PER_UNIT
    return [f"{ORG}-st{k:06}", f"st{k}.{tag}@bench.invalid", "Stina", f"Läkare {k}",
            "HSLF-FS 2021:8", specialty, date(2025, 2, 1), date(2025, 12, 31), 100, 0,
            f"{ORG}-U{i:05}", f"hl{i}.{j}.{tag}@bench.invalid", f"{ORG}-sr{i:05}", ""]  # fmt: skip
