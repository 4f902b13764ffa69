"""The active region: one per request or task, and querysets that require it.

A region-owned model's default manager filters by the active region and raises
`NoActiveRegionError` when none is set, so a forgotten scope fails loudly instead of
silently showing every region. Code that really spans regions (admin,
management commands, the national scan) uses the explicit `unscoped` manager.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from regions.models import Region

_active_region: ContextVar[Region | None] = ContextVar("active_region", default=None)


class NoActiveRegionError(RuntimeError):
    """A region-scoped query ran with no region active."""


def get_active_region() -> Region:
    """Return the active region or raise `NoActiveRegionError`."""
    region = _active_region.get()
    if region is None:
        raise NoActiveRegionError("Region-scoped query without an active region.")
    return region


@contextmanager
def region_context(region: Region) -> Iterator[Region]:
    """Activate `region` for the block (a request, a task, a command)."""
    token = _active_region.set(region)
    try:
        yield region
    finally:
        _active_region.reset(token)


def activate(region: Region | None) -> Any:
    """Activate a region without a block; returns the token for `deactivate`."""
    return _active_region.set(region)


def deactivate(token: Any) -> None:
    """Undo `activate`."""
    _active_region.reset(token)


class RegionScopedManager(models.Manager):
    """Default manager of region-owned models: only the active region's rows."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(region=get_active_region())
