from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from devtools.seeding import DEMO_PASSWORD, demo_logins, seed_demo_regions


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
        seed_demo_regions(if_empty=options["if_empty"])
        if options["quiet"]:
            return
        self.stdout.write(f"Demodata laddad. Demokonton (lösenord: {DEMO_PASSWORD}):")
        for email, what in demo_logins():
            self.stdout.write(f"  {email:28} {what}")
