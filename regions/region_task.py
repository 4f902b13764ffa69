"""The base class of every Celery task: a task starts with no region active.

The Celery app (`stprogram.celery`) names this class by its dotted path, so
the project's base package does not import tenancy.
"""

from __future__ import annotations

from typing import Any

from celery import Task


class RegionTask(Task):
    """A task starts with no region: it declares the region (or all regions) it works in.

    The same holds in the worker and in the embedded scheduler, which runs tasks
    inside a management command.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from regions import tenancy

        token = tenancy.activate(None)
        try:
            with tenancy.db_scope_context(tenancy.NO_REGION):
                return super().__call__(*args, **kwargs)
        finally:
            tenancy.deactivate(token)
