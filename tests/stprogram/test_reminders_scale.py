"""The reminder scan at national scale: its queries do not grow with the number of trainees.

The scan reads a batch of trainees (up to `obligations.facts.BATCH`) with a
fixed number of queries; here 20 and 60 trainees both fit in one batch per
region, so they must cost the same. Delivery writes one row per e-mail (the
claim is finished right after each message: a crash can resend at most that
one), and a fixed number of queries per claimed batch.
"""

from __future__ import annotations

from datetime import datetime
from datetime import time as dt_time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from devtools.bench.engine import BENCH_ON
from devtools.bench.reminders import LOCMEM
from devtools.seeding import seed_national_scale
from regions import tenancy
from regions.models import ObligationStatus
from stprogram.models import Reminder
from stprogram.reminders import outbox
from trainees.models import Trainee

NOW = datetime.combine(BENCH_ON, dt_time(8), tzinfo=timezone.get_current_timezone())


class _UndoError(Exception):
    pass


def _from_scratch() -> None:
    with tenancy.all_regions():
        Reminder.objects.all().delete()
        ObligationStatus.unscoped.all().delete()


def _measure(n: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Queries of a first scan's collection and of its delivery, for `n` seeded trainees."""
    figures: dict[str, int] = {}
    try:
        with transaction.atomic():
            seed_national_scale(trainees=n, units=5, events_per_trainee=20)
            assert Trainee.unscoped.count() == n
            # A scan first, so one-off lookups (content types, profiles) are cached.
            outbox.scan(on=BENCH_ON, now=NOW)
            _from_scratch()
            delivering = outbox.deliver_ready
            monkeypatch.setattr(outbox, "deliver_ready", lambda now: outbox.DeliveryResult())
            with CaptureQueriesContext(connection) as collecting:
                result = outbox.scan(on=BENCH_ON, now=NOW)
            mail.outbox = []
            with CaptureQueriesContext(connection) as delivery:
                sent = delivering(NOW)
            figures = {
                "collect": len(collecting),
                "created": result.created,
                "deliver": len(delivery),
                "sent": sent.sent,
                "mails": len(mail.outbox),
            }
            raise _UndoError
    except _UndoError:
        pass
    monkeypatch.undo()
    return figures


@pytest.mark.django_db
@override_settings(MAILERS=LOCMEM)
def test_the_scan_costs_the_same_queries_for_20_and_60_trainees(monkeypatch):
    few = _measure(20, monkeypatch)
    many = _measure(60, monkeypatch)

    assert 0 < few["created"] < many["created"]
    assert few["collect"] == many["collect"], (few, many)
    assert few["mails"] == few["sent"] == few["created"]
    assert many["mails"] == many["sent"] == many["created"]
    # One finishing UPDATE per e-mail, the rest per claimed batch (under 200 rows
    # here: one) and per lease group of 50.
    for figures in (few, many):
        groups = -(-figures["sent"] // outbox.RENEW_GROUP)
        assert figures["deliver"] - figures["sent"] - groups <= 6, figures
