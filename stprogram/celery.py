"""The Celery application. Tasks are adapters: they take ids and call services."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stprogram.settings")


class RegionTask(Task):
    """A task starts with no region: it declares the region (or all regions) it works in.

    The same holds in the worker and in the embedded scheduler, which runs tasks
    inside a management command.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from stprogram import tenancy

        token = tenancy.activate(None)
        try:
            with tenancy.db_scope_context(tenancy.NO_REGION):
                return super().__call__(*args, **kwargs)
        finally:
            tenancy.deactivate(token)


app = Celery("stprogram", task_cls=RegionTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
