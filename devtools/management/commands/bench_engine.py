"""``manage.py bench_engine``: throughput figures of the rule engine."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from devtools.bench.engine import bench_engine


class Command(BaseCommand):
    help = "Mäter regelmotorns genomströmning (ST-läkare per sekund, en kärna)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Size of the synthetic load."""
        parser.add_argument("--trainees", type=int, default=2000)
        parser.add_argument("--events", type=int, default=300, help="händelser per ST-läkare")
        parser.add_argument(
            "--database",
            type=int,
            default=0,
            metavar="N",
            help="mät också en full utvärdering ur databasen med N syntetiska ST-läkare "
            "(allt rullas tillbaka efteråt)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the engine's figures, then the database's when asked."""
        self.print_figures("engine", engine_figures(options["trainees"], options["events"]))
        if options["database"]:
            from devtools.bench.database import bench_database

            self.print_figures("database", bench_database(options["database"], options["events"]))

    def print_figures(self, title: str, figures: dict[str, Any]) -> None:
        """One ``title.key: value`` line per figure."""
        for key, value in figures.items():
            self.stdout.write(f"{title}.{key}: {value}")


def engine_figures(trainees: int, events: int) -> dict[str, Any]:
    """The engine alone, without the database."""
    return bench_engine(trainees, events)
