"""Is the product alive: the database answers, and the scheduler's beat is recent.

The beat is the `heartbeat` task of the beat schedule. It runs in the embedded
scheduler (`manage.py run_worker`) and, in production, in a Celery worker when
`celery beat` sends it, so one timestamp shows that both halves still work.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from stprogram.scheduler import period_seconds

HEARTBEAT_KEY = "stprogram:worker-heartbeat"


def beat_record(now: datetime | None = None) -> None:
    """Store that a beat has just completed."""
    cache.set(HEARTBEAT_KEY, (now or timezone.now()).isoformat(), timeout=None)


def beat_age(now: datetime | None = None) -> float | None:
    """Seconds since the last completed beat, or None when there has been none."""
    try:
        stamp = cache.get(HEARTBEAT_KEY)
    except DatabaseError:
        # No cache table (an unmigrated database) or a broken cache: no beat to be
        # seen is an unhealthy scheduler (503), not a failed health check (500).
        return None
    if not stamp:
        return None
    return ((now or timezone.now()) - datetime.fromisoformat(stamp)).total_seconds()


def beat_limit() -> float:
    """A beat older than twice the schedule's shortest period means the scheduler stopped."""
    periods = [period_seconds(spec) for spec in settings.CELERY_BEAT_SCHEDULE.values()]
    return 2 * min(periods)


def report(now: datetime | None = None) -> tuple[bool, dict[str, object]]:
    """Whether all is well, and the figures behind it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    age, limit = beat_age(now), beat_limit()
    healthy = age is not None and age <= limit
    beat = {"age_seconds": None if age is None else round(age, 1), "limit_seconds": limit}
    return healthy, {"status": "ok" if healthy else "scheduler stale", "beat": beat}
