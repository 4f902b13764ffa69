"""The regions app's tasks: Celery's autodiscovery finds them here (`<app>.tasks`)."""

from __future__ import annotations

from celery import shared_task

from regions.onboarding.tasks import (
    run_onboarding,
    run_pending_onboardings,
    send_onboarding_invitations,
)

__all__ = [
    "end_delegations",
    "run_onboarding",
    "run_pending_onboardings",
    "send_onboarding_invitations",
]


@shared_task(soft_time_limit=240, time_limit=270)
def end_delegations() -> int:
    """Take the object permission off delegations whose last day has passed (daily)."""
    from django.utils import timezone

    from regions.delegations import delegations_end

    return delegations_end(timezone.localdate())
