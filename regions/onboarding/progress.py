"""How far the worker has come with an import, readable while its transaction is open.

The real run is one transaction, so nothing it writes to the database is
visible until it ends; its progress goes to a small file under the shared
var/ directory instead (the web and the worker share it, see
docker-compose.yml), written atomically and removed when the run ends.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _path(pk: int) -> Path:
    return Path(settings.VAR_DIR) / "onboarding" / f"{int(pk)}.progress"


def progress_write(pk: int, share: float) -> None:
    """Record that the run has done `share` (0–1) of its work."""
    path = _path(pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(f"{max(0.0, min(share, 1.0)):.3f}")
    os.replace(partial, path)


def progress_read(pk: int) -> float | None:
    """The share done, or None when no run is under way (or it has not reported yet)."""
    try:
        return float(_path(pk).read_text())
    except (OSError, ValueError):
        return None


def progress_clear(pk: int) -> None:
    """Forget the run's progress once it has ended."""
    _path(pk).unlink(missing_ok=True)
