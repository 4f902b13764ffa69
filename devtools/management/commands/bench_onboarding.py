"""``manage.py bench_onboarding``: the bulk onboarding of 1,000 trainees with their staff."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

TARGET_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Mäter inläsningen av ST-läkare med enheter och personal: kontroll, skarp körning och "
        "omkontroll (allt rullas tillbaka efteråt)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """How many trainees the synthetic workbook holds."""
        parser.add_argument("--trainees", type=int, default=1_000)

    def handle(self, *args: Any, **options: Any) -> None:
        """Build the workbook, time the three steps, print them and the verdict."""
        from devtools.bench.onboarding import bench_onboarding

        if options["trainees"] < 1:
            raise CommandError("--trainees måste vara minst 1")
        f = bench_onboarding(options["trainees"])
        w = f["written"]
        self.stdout.write(f"database: {f['database']}")
        self.stdout.write(
            f"file: {f['trainees']} trainees, {f['units']} units, {f['staff']} staff "
            f"({f['size_kb']} kB XLSX)"
        )
        self.stdout.write(f"dry run: {f['dry_run_seconds']:.1f} s, {f['refused']} refused")
        self.stdout.write(
            f"real run: {f['run_seconds']:.1f} s ({w['units']} units, {w['people']} people, "
            f"{w['trainees']} trainees, {w['invitations']} invitations owed)"
        )
        self.stdout.write(
            f"re-run check: {f['rerun_check_seconds']:.1f} s, "
            f"{'every row unchanged' if f['rerun_unchanged'] else 'ROWS WOULD CHANGE'}"
        )
        total = f["dry_run_seconds"] + f["run_seconds"]
        verdict = "met" if total < TARGET_SECONDS and f["rerun_unchanged"] else "not met"
        self.stdout.write(
            f"target: dry run + real run < {TARGET_SECONDS} s: {total:.1f} s, {verdict}"
        )
