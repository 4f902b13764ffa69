from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from regions.models import Region
from stprogram.demo import demo_logins, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load the data when the database has no regions yet (first start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["if_empty"] and Region.objects.exists()):
            seed_demo()
        if options["quiet"]:
            return
        self.stdout.write(
            f"Demodata laddad. Demokonton (lösenord: {settings.STPROGRAM_DEMO_PASSWORD}):"
        )
        for email, what in demo_logins():
            self.stdout.write(f"  {email:28} {what}")
