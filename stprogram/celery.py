"""The Celery application. Tasks are adapters: they take ids and call services."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stprogram.settings")

# Named, not imported: the task class belongs to tenancy (every task starts
# with no region), a layer above this base package.
app = Celery("stprogram", task_cls="regions.region_task:RegionTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
