from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stprogram.scheduler import run_forever


class Command(BaseCommand):
    help = "Run the periodic tasks in-process (the embedded default, without Redis)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Schemaläggaren körs (avsluta med Ctrl-C).")
        try:
            run_forever()
        except KeyboardInterrupt:
            self.stdout.write("Schemaläggaren avslutad.")
