"""Reminders survive concurrency and outages: never doubled, never lost."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from stprogram.models import Reminder
from stprogram.reminders import outbox
from stprogram.reminders.mail import reminder_message
from tests.factories import AssignmentFactory, TraineeFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = date(2025, 2, 6)  # 7 days before the world trainee's contract deadline
NOW = datetime(2025, 2, 6, 8, tzinfo=STOCKHOLM)


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_reminder_exactly_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL; SQLite serialises the whole database.")
    for index in range(30):
        trainee = TraineeFactory(
            home_unit=world.unit,
            user__email=f"parallel{index}@blekinge.test",
            start_date=date(2025, 1, 13),
        )
        AssignmentFactory(trainee=trainee, user=world.supervisor, role="main_supervisor")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            outbox.scan(on=DAY, now=NOW)
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    reminders = list(Reminder.objects.select_related("user", "region"))
    assert len(reminders) >= 62  # each trainee's and their supervisor's contract reminder
    assert {r.status for r in reminders} == {"sent"}
    expected = sorted((r.user.email, reminder_message(r).subject) for r in reminders)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == expected


@pytest.fixture
def redis_down(settings):
    """The cache points at a Redis that is not there (nothing listens on port 1)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "stprogram.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    yield
    caches["default"].__class__._down_until = 0.0


def test_pages_answer_promptly_while_redis_is_down(world, client, redis_down):
    started = time.monotonic()
    login_page = client.get("/accounts/login/")
    posted = client.post(
        "/accounts/login/", {"login": world.trainee.user.email, "password": "pw-test-123"}
    )
    my_st = client.get(f"/{world.region.slug}/min-st/")
    elapsed = time.monotonic() - started
    assert login_page.status_code == 200
    assert posted.status_code == 302
    assert my_st.status_code == 200
    assert elapsed < 5, f"three requests took {elapsed:.1f} s with Redis down"


def test_reminders_go_out_after_redis_returns(world, redis_down, settings):
    from stprogram.celery import app
    from stprogram.tasks import scan_reminders

    today = timezone.localdate()
    # Blekinge: the contract is due a month after the start, so in five days.
    trainee = TraineeFactory(
        home_unit=world.unit,
        user__email="new@blekinge.test",
        start_date=today + timedelta(days=5) - relativedelta(months=1),
    )
    broker = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        # While Redis is down the beat cannot hand the scan to a worker ...
        started = time.monotonic()
        with pytest.raises(OperationalError):
            scan_reminders.apply_async(retry=False)
        assert time.monotonic() - started < 5
    finally:
        app.conf.broker_url = broker
    assert not mail.outbox
    assert not Reminder.objects.exists()

    # ... and when it is back, the next scan finds everything in the database.
    scan_reminders.apply()
    scan_reminders.apply()
    contract = [
        m for m in mail.outbox if m.to == [trainee.user.email] and "ST-kontrakt" in m.subject
    ]
    assert len(contract) == 1
