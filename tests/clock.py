"""A frozen clock for tests whose outcome depends on today.

The product reads the time only through `django.utils.timezone` (`now()`,
and `localdate()`, which calls it), so patching `timezone.now` pins every
"today" it computes: obligations, reminders, dashboards, form validation.
The world's dates are fixed (tests.factories.START), so without this such
tests would change outcome as the real calendar moves on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

# A Monday, far from a change to or from summer time, inside the world's second training year.
FROZEN_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(UTC)
FROZEN_TODAY = date(2026, 11, 23)


def clock_freeze(monkeypatch: pytest.MonkeyPatch, moment: datetime = FROZEN_NOW) -> datetime:
    """Make `timezone.now()` return `moment` until the test ends; returns it."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment
