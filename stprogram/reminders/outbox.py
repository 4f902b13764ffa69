"""The reminder outbox: scan obligations into rows, then claim and deliver each row once.

The database is the source of truth. A scan upserts one row per (obligation,
recipient, step); delivery claims rows with a conditional UPDATE, so two
scans running at once cannot send the same reminder, and a failed e-mail is
put back with a later attempt time instead of being dropped. If Redis or
SMTP is down, reminders are late, never lost or doubled.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import batched

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from regions import tenancy
from regions.models import Region
from regions.rules.profile import Reminders, load_profile
from stprogram.models import NotificationPreference, Reminder, User
from stprogram.reminders.collect import ESCALATION, Due, collect, current_step, escalates
from stprogram.reminders.mail import digest_message, reminder_message

logger = logging.getLogger(__name__)

INSERT_BATCH = 2000
CLAIM_BATCH = 200
# Rows whose lease one UPDATE renews before they are sent one by one.
RENEW_GROUP = 50
# A row claimed by a process that died is claimed again after this long. A live
# run renews its claim on each row just before sending it, so the lease need
# only outlast one message (the SMTP timeout), not a whole batch.
LEASE = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class ScanResult:
    obligations: int = 0
    created: int = 0
    cancelled: int = 0
    delivery: DeliveryResult = field(default_factory=lambda: DeliveryResult())


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    digest: int = 0
    muted: int = 0


def scan(on: date | None = None, now: datetime | None = None) -> ScanResult:
    """Create the reminders that are due on `on` for every region, then deliver what is ready.

    Obligations stream through in batches: memory holds one batch and the keys
    of the reminders still waiting, never the whole country.
    """
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    result = ScanResult()
    with tenancy.all_regions():
        waiting = _waiting_keys()
    for region in Region.objects.order_by("pk"):
        lead = load_profile(region.slug).reminders
        with tenancy.region_context(region):
            for chunk in batched(collect(region, on, store=True), INSERT_BATCH):
                result.obligations += len(chunk)
                waiting.difference_update(item.key for item in chunk)
                rows = [row for item in chunk for row in _rows(item, on, lead, now)]
                result.created += _insert_new(rows)
    with tenancy.all_regions():
        result.cancelled = _cancel_stale(waiting)
    result.delivery = deliver_ready(now)
    return result


def _rows(item: Due, on: date, lead: Reminders, now: datetime) -> list[Reminder]:
    steps = []
    step = current_step(item.due, on, lead)
    if step is not None:
        steps += [(user_id, step) for user_id in sorted(item.recipients)]
    if escalates(item, on, lead):
        steps += [(user_id, ESCALATION) for user_id in sorted(item.escalate_to)]
    if not steps:
        return []
    path = item.path
    return [_row(item, user_id, step, path, now) for user_id, step in steps]


def _row(item: Due, user_id: int, step: str, path: str, now: datetime) -> Reminder:
    return Reminder(
        region_id=item.region_id,
        user_id=user_id,
        obligation_key=item.key,
        step=step,
        category="escalation" if step == ESCALATION else item.category,
        code=item.code,
        strength=item.strength,
        due=item.due,
        subject_label=item.label[:200],
        count=item.count,
        required=item.required,
        path=path,
        source=item.source[:200],
        created_at=now,
        next_attempt_at=now,
    )


def _insert_new(rows: list[Reminder]) -> int:
    """Insert the rows not already there; a concurrent scan's rows are skipped by the constraint."""
    keys = {r.obligation_key for r in rows}
    existing = set(
        Reminder.objects.filter(obligation_key__in=keys).values_list(
            "obligation_key", "user_id", "step"
        )
    )
    new = [r for r in rows if (r.obligation_key, r.user_id, r.step) not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _waiting_keys() -> set[str]:
    """Obligations with an undelivered reminder; those the scan does not meet again are stale."""
    waiting = Reminder.objects.filter(status__in=(Reminder.Status.PENDING, Reminder.Status.DIGEST))
    return set(waiting.values_list("obligation_key", flat=True).distinct())


def _cancel_stale(stale: set[str]) -> int:
    """Undelivered reminders of obligations that were done (or moved) meanwhile are not sent."""
    cancelled = 0
    for chunk in batched(sorted(stale), 500):
        cancelled += Reminder.objects.filter(
            obligation_key__in=chunk,
            status__in=(Reminder.Status.PENDING, Reminder.Status.DIGEST),
        ).update(status=Reminder.Status.CANCELLED)
    return cancelled


@tenancy.all_regions()
def deliver_ready(now: datetime | None = None) -> DeliveryResult:
    """Claim and deliver every reminder that is ready, in batches."""
    now = now or timezone.now()
    result = DeliveryResult()
    while pks := list(
        Reminder.objects.filter(_ready(now))
        .order_by("pk")
        .values_list("pk", flat=True)[:CLAIM_BATCH]
    ):
        token = uuid.uuid4().hex
        # The conditional update is the claim: a row another process claimed
        # first no longer matches `_ready` and is not touched.
        Reminder.objects.filter(_ready(now), pk__in=pks).update(
            status=Reminder.Status.SENDING, claim_token=token, claimed_at=timezone.now()
        )
        claimed = list(Reminder.objects.filter(claim_token=token).select_related("user", "region"))
        preferences = _preferences({r.user_id for r in claimed})
        with _smtp() as send:
            for group in batched(claimed, RENEW_GROUP):
                for reminder in _Lease(token, group).held():
                    outcome = handle_one(reminder, preferences.get(reminder.user_id), now, send)
                    setattr(result, outcome, getattr(result, outcome) + 1)
    return result


class _Lease:
    """The claim on a group of rows, renewed at once and again row by row when it ages.

    One UPDATE restarts the lease on the whole group; every row is then sent
    within half a lease of a renewal (a row met later is renewed on its own),
    so no other run can have taken it over meanwhile: never sent twice.
    """

    def __init__(self, token: str, group: tuple[Reminder, ...]) -> None:
        self.group = group
        rows = Reminder.objects.filter(
            pk__in=[r.pk for r in group], claim_token=token, status=Reminder.Status.SENDING
        )
        self.renewed = time.monotonic()
        if rows.update(claimed_at=timezone.now()) == len(group):
            self.pks = {r.pk for r in group}
        else:
            self.pks = set(rows.values_list("pk", flat=True))

    def held(self) -> Iterator[Reminder]:
        for reminder in self.group:
            if reminder.pk not in self.pks:
                continue
            if time.monotonic() - self.renewed > LEASE.total_seconds() / 2 and not _renew(reminder):
                continue
            yield reminder


def _ready(now: datetime) -> Q:
    """Rows due for delivery, and rows whose claimant has held them past the lease."""
    # The lease runs on the clock, not on `now` (the scan's day, which may lie
    # in the past): it measures how long a process has been silent.
    expired = Q(status=Reminder.Status.SENDING, claimed_at__lt=timezone.now() - LEASE)
    return Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) | expired


def _renew(reminder: Reminder) -> bool:
    """Restart the lease on a claimed row just before sending it, if the claim still holds.

    A slow mail server can keep a batch busy for longer than the lease; by then
    another run may have taken over the rows not yet sent, and it sends them.
    """
    return bool(
        Reminder.objects.filter(
            pk=reminder.pk, claim_token=reminder.claim_token, status=Reminder.Status.SENDING
        ).update(claimed_at=timezone.now())
    )


@contextmanager
def _smtp() -> Iterator[Callable[[EmailMessage], None]]:
    """One mail connection for a batch; if it cannot open, every send in the batch fails fast."""
    connection = mail.mailers["default"]
    try:
        connection.open()
    except Exception as exc:
        logger.warning("Mail server unavailable (%s); reminders wait.", type(exc).__name__)
        error = exc

        def refuse(message: EmailMessage) -> None:
            raise error

        yield refuse
        return
    try:
        yield lambda message: connection.send_messages([message])
    finally:
        connection.close()


def _preferences(user_ids: set[int]) -> dict[int, NotificationPreference]:
    return {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}


def handle_one(
    reminder: Reminder,
    preference: NotificationPreference | None,
    now: datetime,
    send: Callable[[EmailMessage], object],
) -> str:
    """Deliver one claimed reminder: in-app always, e-mail now or in the weekly digest."""
    mode = preference.email_mode if preference else NotificationPreference.Mode.IMMEDIATE
    muted = set(preference.muted) if preference else set()
    notified = reminder.notified_at or now
    if reminder.step != ESCALATION and reminder.category in muted:
        return _finish(reminder, status=Reminder.Status.MUTED, outcome="muted")
    if reminder.step != ESCALATION and mode == NotificationPreference.Mode.DIGEST:
        return _finish(
            reminder, status=Reminder.Status.DIGEST, notified_at=notified, outcome="digest"
        )
    try:
        send(reminder_message(reminder, today=timezone.localdate(now)))
    except Exception as exc:
        return _retry_later(reminder, exc, notified, now)
    return _finish(
        reminder,
        status=Reminder.Status.SENT,
        notified_at=notified,
        sent_at=now,
        attempts=reminder.attempts + 1,
        outcome="sent",
    )


def _finish(reminder: Reminder, *, outcome: str, **fields: object) -> str:
    """Write the outcome on a claimed row, if the claim still holds.

    One prepared UPDATE per e-mail (compiling the ORM's cost more than the
    statement when a national first scan sends thousands, issue 18); through
    Django's cursor, so the region wall's scope applies.
    """
    fields["claim_token"] = ""
    names = tuple(sorted(fields))
    meta = Reminder._meta
    params = [meta.get_field(name).get_db_prep_save(fields[name], connection) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(_finish_sql(names), [*params, reminder.pk, reminder.claim_token])
    return outcome


@cache
def _finish_sql(names: tuple[str, ...]) -> str:
    quote, meta = connection.ops.quote_name, Reminder._meta
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in names)
    return (
        f"UPDATE {quote(meta.db_table)} SET {assignments}"
        f" WHERE {quote(meta.pk.column)} = %s"
        f" AND {quote(meta.get_field('claim_token').column)} = %s"
    )


def _retry_later(reminder: Reminder, exc: Exception, notified: datetime, now: datetime) -> str:
    attempts = reminder.attempts + 1
    delay = min(settings.STPROGRAM_REMINDER_RETRY * 2 ** (attempts - 1), MAX_BACKOFF)
    # The log names the row, not the person: no address, no personnummer.
    logger.warning(
        "Reminder %s not sent (attempt %d): %s", reminder.pk, attempts, type(exc).__name__
    )
    return _finish(
        reminder,
        status=Reminder.Status.PENDING,
        notified_at=notified,
        attempts=attempts,
        next_attempt_at=now + delay,
        last_error=f"{type(exc).__name__}: {exc}"[:200],
        outcome="failed",
    )


def digest_slot(now: datetime) -> date:
    """The Monday (or configured weekday) whose digest hour has most recently passed."""
    local = timezone.localtime(now)
    days_back = (local.weekday() - settings.STPROGRAM_DIGEST_WEEKDAY) % 7
    slot = local.date() - timedelta(days=days_back)
    if days_back == 0 and local.hour < settings.STPROGRAM_DIGEST_HOUR:
        slot -= timedelta(days=7)
    return slot


@tenancy.all_regions()
def send_digests(now: datetime | None = None) -> int:
    """Send each digest user one e-mail with the reminders gathered since their last digest."""
    now = now or timezone.now()
    slot = digest_slot(now)
    user_ids = set(
        Reminder.objects.filter(status=Reminder.Status.DIGEST).values_list("user_id", flat=True)
    )
    return sum(_send_digest(user, slot, now) for user in User.objects.filter(pk__in=user_ids))


def _send_digest(user: User, slot: date, now: datetime) -> int:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    previous = preference.last_digest_week
    this_week = Q(last_digest_week__isnull=True) | Q(last_digest_week__lt=slot)
    if not NotificationPreference.objects.filter(this_week, pk=preference.pk).update(
        last_digest_week=slot
    ):
        return 0
    token = uuid.uuid4().hex
    # Stamped with the clock, not the run's `now`: a run through many users
    # would otherwise claim the later ones already past their lease, and the
    # delivery run would take them back while their digest is being sent.
    Reminder.objects.filter(user=user, status=Reminder.Status.DIGEST).update(
        status=Reminder.Status.SENDING, claim_token=token, claimed_at=timezone.now()
    )
    reminders = list(
        Reminder.objects.filter(claim_token=token).select_related("region").order_by("due", "pk")
    )
    if not reminders:
        return 0
    try:
        digest_message(user, reminders, today=timezone.localdate(now)).send()
    except Exception as exc:
        logger.warning("Digest for user %s not sent: %s", user.pk, type(exc).__name__)
        Reminder.objects.filter(claim_token=token).update(
            status=Reminder.Status.DIGEST, claim_token="", last_error=type(exc).__name__
        )
        NotificationPreference.objects.filter(pk=preference.pk, last_digest_week=slot).update(
            last_digest_week=previous
        )
        return 0
    Reminder.objects.filter(claim_token=token).update(
        status=Reminder.Status.SENT, claim_token="", sent_at=now
    )
    return 1
