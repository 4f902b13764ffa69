from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from regions.models import Region
from regions.rules.portfolio import PortfolioError
from trainees.portfolio import import_portfolio


class Command(BaseCommand):
    help = "Läs in en portfölj (st-portfolio/1) för en ST-läkare. Allt kontrolleras först."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="portföljfilen (JSON)")
        parser.add_argument("--region", required=True, help="regionens kortnamn")
        parser.add_argument("--trainee", required=True, help="ST-läkarens e-postadress")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ersätt ST-läkarens placeringar, kurser, frånvaro och tidigare händelser",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            self._fail([f'--region: okänd region "{options["region"]}"'])
        try:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            self._fail([f"{options['file']}: kan inte läsas ({error})"])
        except json.JSONDecodeError as error:
            where = f"rad {error.lineno}, kolumn {error.colno}"
            self._fail([f"{options['file']}: ogiltig JSON ({where})"])
        except RecursionError:
            self._fail([f"{options['file']}: ogiltig JSON (för djupt nästlad)"])
        try:
            trainee = import_portfolio(
                data=data, region=region, email=options["trainee"], replace=options["replace"]
            )
        except PortfolioError as error:
            self._fail(error.messages)
        self.stdout.write(f"Inläst för {trainee.user.email} i {region.name}.")

    def _fail(self, messages: list[str]) -> None:
        self.stderr.write("Ingenting lästes in:")
        for message in messages:
            self.stderr.write(f"  {message}")
        sys.exit(2)
