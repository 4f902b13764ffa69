#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stprogram.settings")
    from django.core.management import execute_from_command_line

    from regions import tenancy

    # Commands are run by operators and span regions (seeding, imports, scans);
    # PostgreSQL's row-level security still applies to every region-owned table,
    # and each web request and Celery task narrows its own scope.
    tenancy.set_default_scope(tenancy.ALL_REGIONS)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
