"""The active region: one per request or task, in the ORM and in PostgreSQL.

Two walls keep regions apart.

1. In Python: a region-owned model's default manager filters by the active
   region and raises `NoActiveRegionError` when none is set, so a forgotten
   scope fails loudly instead of silently showing every region. Code that
   really spans regions uses the explicit `unscoped` manager.
2. In PostgreSQL: row-level security on every table with a region column
   (see `regions.rls`). Before each statement the connection sets, with
   `SET LOCAL` semantics (`set_config(…, true)`, so it ends with the
   transaction), which regions the statement may see. A statement outside a
   transaction is wrapped in one for this. With no scope declared the
   database shows no region-owned rows at all.

The database scope follows the active region. Besides it, a request knows
its user, whose own memberships, rotation grants and reminders stay visible
across regions (the region switcher, the notifications page), and code that
really spans regions (the reminder scan's delivery, commands, the admin)
declares it with `all_regions()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ContextDecorator, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from regions.models import Region


@dataclass(frozen=True)
class DbScope:
    """What the next database statement may see of region-owned tables."""

    regions: tuple[int, ...] = ()
    all_regions: bool = False
    user_id: int | None = None


NO_REGION = DbScope()

_active_region: ContextVar[Region | None] = ContextVar("active_region", default=None)
_db_scope: ContextVar[DbScope] = ContextVar("db_scope", default=NO_REGION)


class NoActiveRegionError(RuntimeError):
    """A region-scoped query ran with no region active."""


def get_active_region() -> Region:
    """Return the active region or raise `NoActiveRegionError`."""
    region = _active_region.get()
    if region is None:
        raise NoActiveRegionError("Region-scoped query without an active region.")
    return region


def db_scope() -> DbScope:
    """The scope the database wall applies to the next statement."""
    return _db_scope.get()


def activate(region: Region | None) -> Any:
    """Activate a region (or none) without a block; returns the token for `deactivate`."""
    scope = _db_scope.get()
    regions = (region.pk,) if region is not None else ()
    return (
        _active_region.set(region),
        _db_scope.set(replace(scope, regions=regions, all_regions=False)),
    )


def deactivate(token: Any) -> None:
    """Undo `activate`."""
    region_token, scope_token = token
    _db_scope.reset(scope_token)
    _active_region.reset(region_token)


@contextmanager
def region_context(region: Region) -> Iterator[Region]:
    """Activate `region` for the block (a request, a task, a command)."""
    token = activate(region)
    try:
        yield region
    finally:
        deactivate(token)


@contextmanager
def db_scope_context(scope: DbScope) -> Iterator[DbScope]:
    """Set the database scope for the block, leaving the ORM's active region alone."""
    token = _db_scope.set(scope)
    try:
        yield scope
    finally:
        _db_scope.reset(token)


def set_default_scope(scope: DbScope) -> None:
    """For an entry point (manage.py, the test suite): the scope outside requests and tasks."""
    _db_scope.set(scope)


ALL_REGIONS = DbScope(all_regions=True)


class all_regions(ContextDecorator):  # noqa: N801 - used like a function: `with all_regions():`
    """Declare that the block (or the decorated function) really spans regions.

    For scans over every region, their deliveries, and lookups by a secret
    that names no region (an assessment link, a calendar address).
    """

    def __enter__(self) -> DbScope:
        scope = replace(_db_scope.get(), all_regions=True)
        self._token = _db_scope.set(scope)
        return scope

    def __exit__(self, *exc: object) -> None:
        _db_scope.reset(self._token)

    def _recreate_cm(self) -> all_regions:
        # A fresh instance per call of a decorated function: calls may nest or overlap.
        return type(self)()


def set_user(user_id: int | None) -> Any:
    """Let the database show this user's own cross-region rows; returns a token for `reset_user`."""
    return _db_scope.set(replace(_db_scope.get(), user_id=user_id))


def reset_user(token: Any) -> None:
    """Undo `set_user`."""
    _db_scope.reset(token)


class RegionScopedManager(models.Manager):
    """Default manager of region-owned models: only the active region's rows."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(region=get_active_region())
