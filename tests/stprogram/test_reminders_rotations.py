"""Rotations known ahead (spec 1.1): the contact and the named supervisor are reminded in time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail

from stprogram.reminders import outbox
from tests.factories import RotationFactory

CONTACT = "Kontakt med mottagande enhet"
SUPERVISOR = "Namngiven handledare vid placering"


def _scan(day: date) -> None:
    outbox.scan(
        on=day, now=datetime(day.year, day.month, day.day, 8, tzinfo=ZoneInfo("Europe/Stockholm"))
    )


def _subjects(user) -> list[str]:
    return [m.subject for m in mail.outbox if user.email in m.to]


def test_contact_and_supervisor_are_reminded_before_they_fall_due(world):
    # Blekinge §3.2: contact three months before an external rotation starting 2026-03-01.
    RotationFactory(trainee=world.trainee, external=True, registered=date(2025, 10, 1))
    _scan(date(2025, 11, 1))  # 30 days before the contact is due (2025-12-01)
    assert any(CONTACT in s for s in _subjects(world.trainee.user)), _subjects(world.trainee.user)
    _scan(date(2026, 1, 30))  # 30 days before the start: no supervisor named yet
    assert any(SUPERVISOR in s for s in _subjects(world.trainee.user))


def test_nothing_before_the_rotation_was_registered(world):
    RotationFactory(trainee=world.trainee, external=True, registered=date(2025, 11, 20))
    _scan(date(2025, 11, 1))
    assert not any(CONTACT in s for s in _subjects(world.trainee.user))
