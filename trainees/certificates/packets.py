"""The application packet: requested in the web, rendered once in the worker (outbox pattern).

The row is the source of truth. The request writes it and, on commit, queues
a task with the row's id only (never a name or personnummer). The worker
claims the row with a conditional update, so the queued task and the periodic
scan cannot both render it; a row whose worker died is claimed again after
the lease. Without Redis, or with the broker down, the scan alone does it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regions import tenancy
from regions.tenancy import region_context
from stprogram.models import User
from trainees.certificates.drafts import drafts_for, packet_drafts
from trainees.certificates.render import packet_pdf
from trainees.models import CertificatePacket, Trainee

logger = logging.getLogger(__name__)

# A packet renders in seconds; one claimed longer ago than this was orphaned.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3
OPEN = (CertificatePacket.Status.PENDING, CertificatePacket.Status.RENDERING)


def packet_kinds(trainee: Trainee) -> list[str]:
    """The applications the trainee's regulation has: ST, and BT under 2021:8 with a BT."""
    kinds = [CertificatePacket.Kind.ST]
    if trainee.bt_end:
        kinds.insert(0, CertificatePacket.Kind.BT)
    return kinds


@transaction.atomic
def packet_request(*, trainee: Trainee, kind: str, by: User) -> CertificatePacket:
    """Ask for the packet to be rendered; a request already waiting is reused, not doubled."""
    if kind not in packet_kinds(trainee):
        raise ValidationError(_("Den ansökan finns inte för din föreskrift."))
    waiting = CertificatePacket.unscoped.filter(
        region=trainee.region, trainee=trainee, kind=kind, status__in=OPEN
    ).first()
    if waiting is not None:
        return waiting
    packet = CertificatePacket.unscoped.create(
        region=trainee.region, trainee=trainee, kind=kind, requested_by=by
    )
    transaction.on_commit(lambda: _enqueue(packet.pk, packet.region_id))
    return packet


def _enqueue(pk: int, region_pk: int) -> None:
    from trainees.tasks import render_certificate_packet

    try:
        render_certificate_packet.delay(pk, region_pk)
    except Exception as exc:
        # The periodic scan renders it; a broker outage must not fail the request.
        logger.warning(
            "Packet %s not queued (%s); the scan will render it.", pk, type(exc).__name__
        )


def _claimable(now: datetime) -> Q:
    return Q(status=CertificatePacket.Status.PENDING) | Q(
        status=CertificatePacket.Status.RENDERING, claimed_at__lt=now - LEASE
    )


def claim(pk: int, now: datetime | None = None) -> CertificatePacket | None:
    """Take the packet for rendering, or None if another process has it or it is done."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = CertificatePacket.unscoped.filter(_claimable(now), pk=pk).update(
        status=CertificatePacket.Status.RENDERING, claim_token=token, claimed_at=now
    )
    if not claimed:
        return None
    return CertificatePacket.unscoped.select_related("region").get(pk=pk, claim_token=token)


def handle_one(packet: CertificatePacket) -> str:
    """Render a claimed packet and store it; on failure keep the reason (no personal data)."""
    try:
        with region_context(packet.region):
            trainee = Trainee.objects.select_related(
                "user", "home_unit", "specialty", "region"
            ).get(pk=packet.trainee_id)
            drafts = packet_drafts(drafts_for(trainee), packet.kind)
            content, pages = packet_pdf(trainee, drafts)
    except Exception as exc:
        return _failed(packet, exc)
    packet.file.save(f"intygspaket-{packet.pk}.pdf", ContentFile(content), save=False)
    CertificatePacket.unscoped.filter(pk=packet.pk, claim_token=packet.claim_token).update(
        status=CertificatePacket.Status.READY,
        file=packet.file.name,
        pages=pages,
        certificates=len(drafts) - 1,
        attempts=packet.attempts + 1,
        claim_token="",
        last_error="",
        finished_at=timezone.now(),
    )
    logger.info("Certificate packet %s rendered.", packet.pk)
    return CertificatePacket.Status.READY


def _failed(packet: CertificatePacket, exc: BaseException) -> str:
    attempts = packet.attempts + 1
    status = CertificatePacket.Status.FAILED
    if attempts < MAX_ATTEMPTS and not _is_timeout(exc):
        status = CertificatePacket.Status.PENDING
    logger.warning(
        "Certificate packet %s failed (attempt %d): %s", packet.pk, attempts, type(exc).__name__
    )
    CertificatePacket.unscoped.filter(pk=packet.pk, claim_token=packet.claim_token).update(
        status=status,
        attempts=attempts,
        claim_token="",
        last_error=type(exc).__name__[:200],
        finished_at=timezone.now() if status == CertificatePacket.Status.FAILED else None,
    )
    return status


def _is_timeout(exc: BaseException) -> bool:
    return type(exc).__name__ in ("SoftTimeLimitExceeded", "TimeLimitExceeded")


def render_one(pk: int) -> str | None:
    """Claim and render one packet; None if it was not there to claim."""
    packet = claim(pk)
    return handle_one(packet) if packet is not None else None


def render_pending(now: datetime | None = None) -> int:
    """Render every packet waiting (or orphaned); returns how many were rendered."""
    now = now or timezone.now()
    done = 0
    with tenancy.all_regions():
        waiting = list(
            CertificatePacket.unscoped.filter(_claimable(now))
            .select_related("region")
            .order_by("pk")
        )
    for packet in waiting:
        with region_context(packet.region):
            done += render_one(packet.pk) == CertificatePacket.Status.READY
    return done
