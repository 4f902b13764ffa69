"""``manage.py load_catalogue``: load the catalogue shipped in assessments/data/ (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments.management.commands._loading import run_load
from assessments.services import catalogue_load_shipped


class Command(BaseCommand):
    help = (
        "Läser in den medföljande katalogen av delmål (gemensamma delmål och "
        "specialiteternas c-delmål). Kan köras om utan att något ändras."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load every shipped file and report (nothing with -v 0)."""
        run_load(self, catalogue_load_shipped, verbosity=options["verbosity"])
