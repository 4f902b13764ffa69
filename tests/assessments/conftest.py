"""Helpers for the catalogue tests: files on disk and a picture of the catalogue tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assessments.models import Curriculum, Goal, Specialty

HEADER = "regulation,specialty_slug,specialty_name,code,title,requirement_text,placeholder\n"


def catalogue_state() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Every stored value of the catalogue, so 'nothing changed' means exactly that."""
    return (
        list(Goal.objects.order_by("pk").values_list()),
        list(Curriculum.objects.order_by("pk").values_list()),
        list(Specialty.objects.order_by("pk").values_list()),
    )


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write text (UTF-8) or raw bytes to a file and return its path."""

    def _write(content: str | bytes, name: str = "malbeskrivning.csv") -> Path:
        path = tmp_path / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return _write
