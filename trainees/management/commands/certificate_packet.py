from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from regions.tenancy import region_context
from trainees.certificates.drafts import drafts_for, packet_drafts
from trainees.certificates.packets import packet_kinds
from trainees.certificates.render import certificate_pdf, packet_pdf
from trainees.models import Trainee


class Command(BaseCommand):
    help = (
        "Skriv en ST-läkares intygsutkast, ett per PDF, och hela ansökan med bilagor som en PDF "
        "(filnamnen innehåller inga personnummer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainee", required=True, help="ST-läkarens e-postadress")
        parser.add_argument("--region", help="regionens kortnamn, om personen finns i flera")
        parser.add_argument("--out", required=True, help="katalog att skriva till")

    def handle(self, *args: Any, **options: Any) -> None:
        trainees = Trainee.unscoped.filter(user__email=options["trainee"].lower())
        if options["region"]:
            trainees = trainees.filter(region__slug=options["region"])
        found = list(trainees.select_related("region", "user", "home_unit", "specialty")[:2])
        if len(found) != 1:
            reason = "finns inte" if not found else "finns i flera regioner (ange --region)"
            self.stderr.write(f"--trainee: {options['trainee']} {reason}")
            sys.exit(2)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        trainee = found[0]
        with region_context(trainee.region):
            self._write_all(trainee, out)

    def _write_all(self, trainee: Trainee, out: Path) -> None:
        drafts = drafts_for(trainee)
        for kind in packet_kinds(trainee):
            members = packet_drafts(drafts, kind)
            for draft in members:
                name = f"{kind}-{draft.number or 0:02d}-{draft.form.key}-{draft.key}.pdf"
                self._write(out / name, certificate_pdf(trainee, draft), draft.complete)
            content, pages = packet_pdf(trainee, members)
            self._write(out / f"ansokan-{kind}.pdf", content, None, pages)

    def _write(self, path: Path, content: bytes, complete: bool | None, pages: int = 0) -> None:
        path.write_bytes(content)
        note = "" if complete is None else (" (komplett)" if complete else " (UTKAST)")
        extra = f", {pages} sidor" if pages else ""
        self.stdout.write(f"{path}{note}{extra}")
