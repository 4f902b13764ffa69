"""Reviews of a unit: a report PDF and a fresh private file store per test."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.models import Inspection
from tests.pdfs import clean_pdf

PDF = clean_pdf()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploaded reports go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def review(world):
    """An external review of the world's unit, done last spring."""
    return Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.EXTERNAL,
        performed_on=date(2026, 4, 20),
        ordering_body="LIPUS (SPUR)",
        created_by=world.head_of_unit,
    )
