"""Benchmark of the reminder scan at national scale, rolled back afterwards.

Seeds synthetic trainees (`devtools.seeding.seed_national_scale`, a chunk at a time),
spreads them over many units with heads of unit, study directors, main
supervisors and unit reviews, times the plain database evaluation of the same
trainees (`bench_engine --database`), then two scans on the benchmark day: the
first creates and delivers the due reminders, the second must find nothing new
to create or send.
"""

from __future__ import annotations

import ctypes
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from unittest import mock

from django.core import mail
from django.db import transaction
from django.test.utils import override_settings
from django.urls import get_resolver
from django.utils import timezone

from devtools.bench.database import evaluate
from devtools.bench.engine import BENCH_ON
from devtools.seeding import seed_national_scale
from regions.models import Region
from stprogram.reminders import outbox

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class _RollbackError(Exception):
    pass


def bench_reminders(n: int, units: int, events_per_trainee: int) -> dict[str, Any]:
    """Seed `n` trainees over `units` units, time two reminder scans, roll everything back."""
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            seeded, regions = seed_national_scale(
                trainees=n, units=units, events_per_trainee=events_per_trainee
            )
            figures.update(seeded)
            figures["seed_seconds"] = round(time.perf_counter() - started, 1)
            evaluation = _evaluation(regions)
            figures.update({f"evaluation_{key}": value for key, value in evaluation.items()})
            figures["seed_and_evaluation_peak_memory_mb"] = _peak_memory_mb()
            # On SQLite the one rolled-back seeding transaction keeps its pages
            # in the process; the scans' own share is their peak minus this.
            _release_freed_memory()
            figures["memory_before_scans_mb"] = _current_memory_mb()
            _reset_peak_memory()
            figures.update(_scans())
            figures["scan_peak_memory_mb"] = _peak_memory_mb()
            figures["scan1_to_evaluation"] = _ratio(figures["scan1_seconds"], evaluation)
            without_mail = figures["scan1_seconds"] - figures["scan1_delivery_seconds"]
            figures["scan1_without_delivery_to_evaluation"] = _ratio(without_mail, evaluation)
            figures["scan1_cpu_to_evaluation_cpu"] = _ratio(
                figures["scan1_cpu_seconds"], evaluation, "cpu_seconds"
            )
            figures["scan2_to_evaluation"] = _ratio(figures["scan2_seconds"], evaluation)
            raise _RollbackError
    except _RollbackError:
        pass
    # The whole run's peak: the higher of the seeding's and the scans'.
    figures["peak_memory_mb"] = max(
        _peak_memory_mb(), figures.get("seed_and_evaluation_peak_memory_mb", 0)
    )
    return figures


def _ratio(seconds: float, evaluation: dict[str, Any], key: str = "seconds") -> float | None:
    """What the scan costs per unit of plain evaluation of the same trainees."""
    return round(seconds / evaluation[key], 2) if evaluation.get(key) else None


def _evaluation(regions: list[Region]) -> dict[str, Any]:
    """`bench_engine --database` on the seeded trainees, with its CPU time."""
    cpu = time.process_time()
    figures = evaluate(regions)
    figures["cpu_seconds"] = round(time.process_time() - cpu, 2)
    return figures


def _scans() -> dict[str, Any]:
    """Two scans on BENCH_ON at 08:00, e-mail kept in memory; the second must be empty."""
    now = datetime.combine(BENCH_ON, dt_time(8), tzinfo=timezone.get_current_timezone())
    previous = getattr(mail, "outbox", None)
    mail.outbox = []
    # A running scheduler has its URLs loaded; the first reverse() would
    # otherwise charge their import (seconds without .pyc files) to scan 1.
    get_resolver().url_patterns  # noqa: B018
    try:
        with override_settings(MAILERS=LOCMEM):
            first = _timed_scan(now)
            emails = len(mail.outbox)
            second = _timed_scan(now)
    finally:
        mail.outbox = previous if previous is not None else []
    return {
        **{f"scan1_{key}": value for key, value in first.items()},
        **{f"scan2_{key}": value for key, value in second.items()},
        "emails": emails,
    }


def _timed_scan(now: datetime) -> dict[str, Any]:
    """One scan with its total time and the part spent delivering, on the clock and in CPU.

    The CPU time of this process is what a shared, loaded machine does not inflate.
    """
    spent = {"delivery": 0.0}
    with _timing(outbox, "deliver_ready", spent, "delivery"):
        started, cpu = time.perf_counter(), time.process_time()
        result = outbox.scan(on=BENCH_ON, now=now)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "delivery_seconds": round(spent["delivery"], 2),
        "obligations": result.obligations,
        "created": result.created,
        "cancelled": result.cancelled,
        "sent": result.delivery.sent,
        "failed": result.delivery.failed,
    }


@contextmanager
def _timing(module: Any, name: str, spent: dict[str, float], key: str) -> Iterator[None]:
    """Add the time spent in `module.name` to `spent[key]` while the block runs."""
    original: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started

    with mock.patch.object(module, name, timed):
        yield


def _peak_memory_mb() -> int:
    """Peak resident memory of this process since the last reset (or its start), in MB."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024)
    except (OSError, IndexError, ValueError):
        # Not Linux: the peak since the process started (reported in bytes on macOS).
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _current_memory_mb() -> int | None:
    """Resident memory now (Linux), in MB."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmRSS:")[1].split()[0]) / 1024)
    except (OSError, IndexError, ValueError):
        return None


def _release_freed_memory() -> None:
    """Hand the seeding's freed heap back to the system (glibc), so it is not counted as the scans'.

    Seeding frees its objects chunk by chunk, but glibc keeps the freed pages;
    without this the resident memory the scans start from is the seeding's
    high-water mark. Elsewhere a no-op.
    """
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak_memory() -> None:
    """Start the peak over (Linux), so the scans' own peak is not the seeding's."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
