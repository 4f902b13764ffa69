"""``manage.py bench_dashboards``: render times and queries of the dashboards at national scale."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

TARGET_MS = 300


class Command(BaseCommand):
    help = (
        "Mäter svarstid (p50/p95) och antal SQL-frågor för översiktssidorna över syntetiska "
        "data i nationell skala (allt rullas tillbaka efteråt)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Size of the synthetic load and the number of timed requests per page."""
        parser.add_argument("--trainees", type=int, default=10_000)
        parser.add_argument("--events", type=int, default=60, help="händelser per ST-läkare")
        parser.add_argument("--repeats", type=int, default=30, help="mätta anrop per sida")

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed, time every page, print one line per page and the verdict."""
        from django.db import connection

        from devtools.bench.dashboards import PageError, bench_dashboards

        if options["repeats"] < 1:
            raise CommandError("--repeats måste vara minst 1")
        if unapplied_migrations():
            raise CommandError("Databasen saknar migreringar: kör manage.py migrate först.")
        self.stdout.write(f"database: {connection.vendor}")
        try:
            figures = bench_dashboards(options["trainees"], options["events"], options["repeats"])
        except PageError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"region used: {figures['region']}, {figures['region_trainees']} trainees, "
            f"{figures['region_units']} units (seed {figures['seed_seconds']} s, "
            f"snapshot {figures['snapshot_seconds']} s, analyze {figures['analyze_seconds']} s)"
        )
        for name, page in figures["pages"].items():
            self.stdout.write(
                f"{name}: p50 {page['p50_ms']:.0f} ms, p95 {page['p95_ms']:.0f} ms, "
                f"{page['queries']} queries"
            )
        self.stdout.write(
            f"target: p95 < {TARGET_MS} ms at {figures['region_trainees']} trainees: "
            f"{verdict(figures)}"
        )


def unapplied_migrations() -> bool:
    """Whether the database lags the code (a page would fail only after minutes of seeding)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def verdict(figures: dict[str, Any]) -> str:
    """Return "met" when every judged page's p95 is under the target."""
    judged = [page["p95_ms"] for page in figures["pages"].values() if page["judged"]]
    return "met" if max(judged) < TARGET_MS else "not met"
