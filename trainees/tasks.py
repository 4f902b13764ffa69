"""Trainee tasks: adapters that take ids and call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(soft_time_limit=60, time_limit=90, acks_late=True)
def render_certificate_packet(packet_pk: int) -> str | None:
    """Render one requested application packet (the row's id only: no personal data)."""
    from trainees.certificates.packets import render_one

    return render_one(packet_pk)


@shared_task(soft_time_limit=240, time_limit=270)
def render_pending_packets() -> int:
    """Render packets whose queued task never ran (no broker, outage, a worker that died)."""
    from trainees.certificates.packets import render_pending

    return render_pending()
