from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trainees.models import Trainee
from trainees.portfolio import export_portfolio


class Command(BaseCommand):
    help = "Skriv en ST-läkares portfölj (st-portfolio/1) som JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainee", required=True, help="ST-läkarens e-postadress")
        parser.add_argument("--region", help="regionens kortnamn, om personen finns i flera")
        parser.add_argument("--out", help="fil att skriva till (annars standard ut)")

    def handle(self, *args: Any, **options: Any) -> None:
        trainees = Trainee.unscoped.filter(user__email=options["trainee"].lower())
        if options["region"]:
            trainees = trainees.filter(region__slug=options["region"])
        found = list(trainees.select_related("region", "home_unit", "specialty")[:2])
        if len(found) != 1:
            reason = "finns inte" if not found else "finns i flera regioner (ange --region)"
            self.stderr.write(f"--trainee: {options['trainee']} {reason}")
            sys.exit(2)
        text = json.dumps(export_portfolio(found[0]), ensure_ascii=False, indent=2) + "\n"
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
