"""``manage.py import_malbeskrivning FILE.pdf``: load the published målbeskrivning."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from assessments.catalogue.curriculum_file import CurriculumError, merged_csv
from assessments.catalogue.malbeskrivning_pdf import parse_malbeskrivning
from assessments.management.commands._loading import run_load
from assessments.services import malbeskrivning_import


class Command(BaseCommand):
    help = (
        "Läser in en specialitets c-delmål (kompetenskrav, utbildningsaktiviteter och "
        "uppföljning) ur Socialstyrelsens målbeskrivning som PDF. Förstås inte filen läses "
        "ingenting in och kommandot avslutas med kod 2."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="målbeskrivningen som PDF")
        parser.add_argument(
            "--csv",
            metavar="CSV",
            help="skriv i stället delmålen till denna levererade CSV-fil (de andra "
            "föreskriftens rader och kommentarerna behålls)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Import into the catalogue, or rewrite a shipped CSV file with --csv."""
        path = Path(options["file"])
        if options["csv"]:
            run_load(self, lambda: self.write_csv(path, Path(options["csv"])), verbosity=0)
            return
        run_load(
            self,
            lambda: [malbeskrivning_import(data=self.read(path), file_name=path.name)],
            verbosity=options["verbosity"],
        )

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            message = _("filen kan inte läsas (%(reason)s)")
            raise CurriculumError([message % {"reason": error.strerror or error}]) from None

    def write_csv(self, pdf: Path, target: Path) -> list[Any]:
        parsed = parse_malbeskrivning(self.read(pdf))
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        target.write_text(merged_csv(existing, parsed), encoding="utf-8")
        return []
