"""Install Socialstyrelsen's official blank forms from a directory (the operator's step)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trainees.certificates.official import install_dir


class Command(BaseCommand):
    help = (
        "Installera Socialstyrelsens ifyllbara blanketter (PDF) från en katalog. Varje fil känns "
        "igen på sin SHA-256 och sina fält; en okänd version vägras."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="katalog med blanketternas PDF-filer")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not directory.is_dir():
            self.stderr.write(f"{directory}: ingen sådan katalog")
            sys.exit(2)
        done, refused = install_dir(directory)
        for item in done:
            self.stdout.write(f"Installerad: {item.form.footer} ({item.form.title})")
        for name, reason in refused:
            self.stderr.write(f"Vägrad: {name}: {reason}")
        self.stdout.write(f"{len(done)} blanketter installerade, {len(refused)} vägrade.")
