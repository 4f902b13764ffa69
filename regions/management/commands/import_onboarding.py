"""``manage.py import_onboarding FILE... --region SLUG [--dry-run]``: the bulk onboarding."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regions.models import Region
from regions.onboarding.plan import REFUSE, Plan
from regions.onboarding.services import StaleError, onboarding_import, onboarding_plan
from regions.tenancy import region_context
from stprogram.models import User

WORDS = {"create": "skapas", "change": "ändras", "same": "oförändrad", "refuse": "AVVISAS"}


class Command(BaseCommand):
    help = (
        "Läser in enheter, personal och ST-läkare från CSV eller XLSX; allt eller inget. "
        "Med --dry-run visas bara vad som skulle hända."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """The files, the region, and who the audit history names."""
        parser.add_argument("files", nargs="+", help="XLSX-arbetsbok eller CSV-filer")
        parser.add_argument("--region", required=True, help="regionens kortnamn")
        parser.add_argument("--dry-run", action="store_true", help="kontrollera, spara inget")
        parser.add_argument(
            "--by",
            help="e-postadress till den som står i historiken (standard: enda superanvändaren)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the files, print each row's result, then (without --dry-run) write them."""
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"Ingen region med kortnamnet {options['region']}.")
        files = [(Path(f).name, self._read(f)) for f in options["files"]]
        with region_context(region):
            plan = self._plan(region, files)
            self._print(plan)
            if plan.refused:
                raise CommandError(f"{len(plan.refused)} rader avvisas; ingenting sparades.")
            if options["dry_run"]:
                self.stdout.write("Provkörning: ingenting sparades.")
                return
            self._run(region, files, self._actor(options.get("by")))

    def _read(self, name: str) -> bytes:
        try:
            return Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"{name} kan inte läsas: {error.strerror}.") from None

    def _plan(self, region: Region, files: list[tuple[str, bytes]]) -> Plan:
        try:
            return onboarding_plan(region=region, files=files)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _print(self, plan: Plan) -> None:
        for r in plan.results:
            details = "; ".join(f"kolumn ”{c}”: {m}" for c, m in r.issues) or "; ".join(r.changes)
            line = f"{r.source} rad {r.line}: {r.label} – {WORDS[r.action]}"
            self.stdout.write(f"{line}. {details}" if details else line)
        counts = plan.counts()
        self.stdout.write(
            f"{counts['create']} skapas, {counts['change']} ändras, "
            f"{counts['same']} oförändrade, {counts[REFUSE]} avvisas."
        )

    def _actor(self, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"Inget konto med e-postadressen {email}.")
            return user
        admins = list(User.objects.filter(is_superuser=True)[:2])
        if len(admins) != 1:
            raise CommandError("Ange med --by vem inläsningen görs av.")
        return admins[0]

    def _run(self, region: Region, files: list[tuple[str, bytes]], by: User) -> None:
        def report(share: float) -> None:
            self.stdout.write(f"\r{share:4.0%}", ending="")

        try:
            summary = onboarding_import(region=region, by=by, files=files, progress=report)
        except StaleError:
            raise CommandError("Regionen ändrades under inläsningen; ingenting sparades.") from None
        w = summary["written"]
        self.stdout.write(
            f"\nKlart: {w['units']} enheter, {w['people']} personer, {w['trainees']} ST-läkare; "
            f"{w['invitations']} inbjudningar skickas av arbetsprocessen."
        )
