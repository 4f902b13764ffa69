"""``manage.py bench_reminders``: time of one reminder scan at national scale."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

TARGET_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Mäter en påminnelseskanning över syntetiska data i nationell skala och en andra "
        "skanning direkt efter (allt rullas tillbaka efteråt)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Size of the synthetic load."""
        parser.add_argument("--trainees", type=int, default=10_000)
        parser.add_argument("--units", type=int, default=1500, help="enheter totalt")
        parser.add_argument("--events", type=int, default=300, help="händelser per ST-läkare")

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed, scan twice, print one ``reminders.key: value`` line per figure and the verdict."""
        from stprogram.reminders.bench import bench_reminders

        figures = bench_reminders(options["trainees"], options["units"], options["events"])
        for key, value in figures.items():
            self.stdout.write(f"reminders.{key}: {value}")
        self.stdout.write(f"target: scan < {TARGET_SECONDS} s: {verdict(figures)}")


def verdict(figures: dict[str, Any]) -> str:
    """Return "met" when both scans finished within the target time."""
    slowest = max(figures["scan1_seconds"], figures["scan2_seconds"])
    return "met" if slowest < TARGET_SECONDS else "not met"
