"""Onboarding tasks: adapters that take ids and call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(soft_time_limit=1800, time_limit=1860, acks_late=True)
def run_onboarding(onboarding_pk: int, region_pk: int) -> str | None:
    """Run one confirmed import in its region (ids only: no names or addresses)."""
    from regions.models import Region
    from regions.onboarding.services import run_one
    from regions.tenancy import region_context

    with region_context(Region.objects.get(pk=region_pk)):
        return run_one(onboarding_pk)


@shared_task(soft_time_limit=1800, time_limit=1860)
def run_pending_onboardings() -> int:
    """Run imports whose queued task never ran (no broker, outage, a worker that died)."""
    from regions.onboarding.services import run_pending

    return run_pending()


@shared_task(soft_time_limit=240, time_limit=270)
def send_onboarding_invitations() -> int:
    """Send the next batch of invitations owed to imported accounts."""
    from regions.onboarding.invitations import send_batch

    return send_batch()
