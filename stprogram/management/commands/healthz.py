from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from stprogram import health


class Command(BaseCommand):
    help = "The /healthz check from the command line (the worker and beat containers' health)."

    def handle(self, *args: Any, **options: Any) -> None:
        healthy, figures = health.report()
        self.stdout.write(json.dumps(figures))
        if not healthy:
            raise CommandError("Schemaläggarens senaste slag är för gammalt.")
