"""Cross-cutting periodic tasks."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Record that the scheduler is alive, so the status page can show it."""
    now = timezone.now().isoformat()
    cache.set("stprogram:worker-heartbeat", now, timeout=None)
    return now
