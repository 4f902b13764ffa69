"""Writes a person makes to their own notifications and preferences."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from stprogram.models import NotificationPreference, Reminder, User


def preference_of(user: User) -> NotificationPreference:
    """The user's preferences, unsaved defaults if they never changed them."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


@transaction.atomic
def preference_update(
    *, user: User, email_mode: str, muted: list[str], now: datetime | None = None
) -> NotificationPreference:
    """Save e-mail mode and muted categories.

    Choosing the digest starts it at the next digest day (the week that has
    begun counts as sent); leaving it sends at once what was waiting for it.
    """
    from stprogram.reminders.outbox import digest_slot

    now = now or timezone.now()
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if email_mode != preference.email_mode and email_mode == NotificationPreference.Mode.DIGEST:
        preference.last_digest_week = digest_slot(now)
    preference.email_mode = email_mode
    preference.muted = sorted(set(muted))
    preference.save(update_fields=["email_mode", "muted", "last_digest_week"])
    if email_mode == NotificationPreference.Mode.IMMEDIATE:
        Reminder.objects.filter(user=user, status=Reminder.Status.DIGEST).update(
            status=Reminder.Status.PENDING, next_attempt_at=now
        )
    return preference


def notifications_of(user: User) -> QuerySet[Reminder]:
    """The user's in-app notifications, newest first."""
    return Reminder.objects.filter(user=user, notified_at__isnull=False).order_by(
        "-notified_at", "-pk"
    )


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the bell's number)."""
    return notifications_of(user).filter(read_at__isnull=True).count()


def notification_mark_read(*, reminder: Reminder) -> None:
    """Mark one notification read."""
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
