"""What load_curriculum and load_catalogue share: Swedish output and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from assessments.services import CurriculumError, LoadResult

INVALID_FILE_EXIT_CODE = 2


def run_load(command: BaseCommand, load: Callable[[], list[LoadResult]], verbosity: int) -> None:
    """Run a load; print a summary, or every problem on stderr and exit with code 2."""
    try:
        results = load()
    except CurriculumError as error:
        command.stderr.write(_("Ingenting lästes in. Rätta följande och försök igen:"))
        for message in error.messages:
            command.stderr.write(f"  {message}")
        sys.exit(INVALID_FILE_EXIT_CODE)
    if verbosity >= 1:
        for result in results:
            command.stdout.write(result.summary())
        message = _("Klart: %(files)d filer, %(goals)d delmål.")
        goals = sum(r.created + r.updated + r.unchanged for r in results)
        command.stdout.write(message % {"files": len(results), "goals": goals})
