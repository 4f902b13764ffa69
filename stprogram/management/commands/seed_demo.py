from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from stprogram.demo import demo_logins, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    def handle(self, *args: Any, **options: Any) -> None:
        seed_demo()
        if options["quiet"]:
            return
        self.stdout.write("Demodata laddad. Demokonton (lösenord: %s):" % settings.STPROGRAM_DEMO_PASSWORD)
        for email, what in demo_logins():
            self.stdout.write(f"  {email:28} {what}")
