"""Invitations owed to imported accounts, sent by the worker in batches, each exactly once.

A batch claims rows with one conditional update (unsent, and unclaimed or
with an expired lease), so two runs at once take different rows. Each row is
then marked sent in the same transaction that writes its invitation (and its
audit line), on the condition that the claim is still this run's: a run whose
lease ran out and was taken over sends nothing for that row. The mail itself
leaves on commit (`regions.invitations`). Where the region logs in through
its identity provider, the invitation says so instead of carrying a link.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regions import tenancy
from regions.invitations import invitation_send
from regions.onboarding.models import OnboardingInvitation
from regions.tenancy import region_context

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)


def _claimable(now: datetime) -> Q:
    return Q(sent_at__isnull=True) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))


def claim_batch(size: int, now: datetime | None = None) -> tuple[str, list[OnboardingInvitation]]:
    """Take up to `size` unsent invitations of any region for this run."""
    now, token = now or timezone.now(), uuid.uuid4().hex
    with tenancy.all_regions(), transaction.atomic():
        ids = list(
            OnboardingInvitation.unscoped.filter(_claimable(now))
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        OnboardingInvitation.unscoped.filter(_claimable(now), pk__in=ids).update(
            claim_token=token, claimed_at=now
        )
        rows = list(
            OnboardingInvitation.unscoped.filter(claim_token=token, sent_at__isnull=True)
            .select_related("region", "user", "requested_by")
            .order_by("pk")
        )
    return token, rows


def send_one(row: OnboardingInvitation, token: str) -> bool:
    """Send one claimed invitation if the claim is still ours; True if it was sent."""
    with region_context(row.region), transaction.atomic():
        marked = OnboardingInvitation.unscoped.filter(
            pk=row.pk, claim_token=token, sent_at__isnull=True
        ).update(sent_at=timezone.now())
        if marked != 1:
            return False
        invitation_send(
            user=row.user,
            by=row.requested_by,
            region_slug=row.region.slug,
            trainee_id=row.trainee_id,
        )
    return True


def send_batch(size: int | None = None) -> int:
    """Send one batch of owed invitations; returns how many were sent."""
    token, rows = claim_batch(size or settings.STPROGRAM_ONBOARDING_INVITATION_BATCH)
    sent = sum(send_one(row, token) for row in rows)
    if rows:
        logger.info("Onboarding invitations: %d claimed, %d sent.", len(rows), sent)
    return sent


def invitations_waiting(onboarding_id: int) -> tuple[int, int]:
    """How many of an import's invitations are sent, and how many it owes in all."""
    rows = OnboardingInvitation.objects.filter(onboarding_id=onboarding_id)
    return rows.filter(sent_at__isnull=False).count(), rows.count()
