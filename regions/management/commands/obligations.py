"""``manage.py obligations FILE --on DATE``: a thin adapter over the rule engine's CLI."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from regions.rules import cli


class Command(BaseCommand):
    help = "Utvärderar en st-portfolio/1-fil mot regionens regelprofil och skriver JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """The same arguments as the engine's CLI."""
        parser.add_argument("file", help="portföljfil (JSON), eller - för standard in")
        parser.add_argument("--on", help="datum ÅÅÅÅ-MM-DD (standard: i dag)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the CLI and exit with its code when it fails."""
        argv = ["obligations", options["file"]]
        if options.get("on"):
            argv += ["--on", options["on"]]
        code = cli.run(argv, self.stdout, self.stderr)
        if code:
            sys.exit(code)
