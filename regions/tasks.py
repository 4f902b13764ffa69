"""Region tasks: adapters that call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(soft_time_limit=240, time_limit=270)
def end_delegations() -> int:
    """Take the object permission off delegations whose last day has passed (daily)."""
    from django.utils import timezone

    from regions.delegations import delegations_end

    return delegations_end(timezone.localdate())
