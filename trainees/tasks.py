"""Trainee tasks: adapters that take ids and call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(soft_time_limit=60, time_limit=90, acks_late=True)
def render_certificate_packet(packet_pk: int, region_pk: int) -> str | None:
    """Render one requested application packet (ids only: no personal data).

    The task runs in the packet's region: the database shows it nothing else.
    """
    from regions.models import Region
    from regions.tenancy import region_context
    from trainees.certificates.packets import render_one

    with region_context(Region.objects.get(pk=region_pk)):
        return render_one(packet_pk)


@shared_task(soft_time_limit=240, time_limit=270)
def render_pending_packets() -> int:
    """Render packets whose queued task never ran (no broker, outage, a worker that died)."""
    from trainees.certificates.packets import render_pending

    return render_pending()


@shared_task(soft_time_limit=240, time_limit=270)
def end_rotation_grants() -> int:
    """Take the object permission off cross-region grants that have ended (daily)."""
    from django.utils import timezone

    from trainees.grants import rotation_grants_end

    return rotation_grants_end(timezone.localdate())
