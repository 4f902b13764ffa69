"""Cross-cutting periodic tasks."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from stprogram import health

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Record that the scheduler is alive; /healthz reports how long ago this last ran."""
    now = timezone.now()
    health.beat_record(now)
    return now.isoformat()


@shared_task(soft_time_limit=1800, time_limit=1860)
def scan_reminders() -> dict[str, int]:
    """Create the reminders due today for every region, then deliver what is ready."""
    from stprogram.reminders import outbox

    result = outbox.scan()
    return {
        "obligations": result.obligations,
        "created": result.created,
        "cancelled": result.cancelled,
        "sent": result.delivery.sent,
        "failed": result.delivery.failed,
    }


@shared_task(soft_time_limit=600, time_limit=660)
def deliver_reminders() -> dict[str, int]:
    """Retry the reminders whose e-mail failed earlier, once their next attempt is due."""
    from stprogram.reminders import outbox

    result = outbox.deliver_ready()
    return {"sent": result.sent, "failed": result.failed}


@shared_task(soft_time_limit=1800, time_limit=1860)
def send_reminder_digests() -> int:
    """Send the weekly digests that are due; a digest already sent this week is not sent again."""
    from stprogram.reminders import outbox

    return outbox.send_digests()
