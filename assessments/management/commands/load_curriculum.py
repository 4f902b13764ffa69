"""``manage.py load_curriculum FILE [FILE ...]``: load målbeskrivning files (all or nothing)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from assessments.management.commands._loading import run_load
from assessments.services import curricula_load


class Command(BaseCommand):
    help = (
        "Läser in målbeskrivningar från CSV-filer (se docs/curriculum.md). Om någon fil "
        "innehåller fel läses ingenting in och kommandot avslutas med kod 2."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="CSV-fil (UTF-8)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the files in one transaction and report."""
        run_load(
            self, lambda: curricula_load(paths=options["files"]), verbosity=options["verbosity"]
        )
