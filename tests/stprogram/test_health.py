"""/healthz: the database answers and the scheduler's last beat is recent, or 503."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from stprogram import health
from stprogram.celery import app
from stprogram.scheduler import run_due, schedule_entries
from tests.stprogram.test_deployment import _compose

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_beat():
    cache.delete(health.HEARTBEAT_KEY)


def test_no_beat_yet_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == {"age_seconds": None, "limit_seconds": 120.0}


def test_the_embedded_schedulers_beat_makes_it_healthy(client, monkeypatch):
    monkeypatch.setattr("stprogram.scheduler.close_old_connections", lambda: None)
    heartbeat = [e for e in schedule_entries() if e.name == "heartbeat"]
    run_due(heartbeat, now=0.0)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert 0 <= response.json()["beat"]["age_seconds"] < 5


def test_a_celery_workers_beat_counts_the_same(client, settings):
    """In production `celery beat` sends the heartbeat task and a worker runs it."""
    spec = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    app.loader.import_default_modules()  # as a worker does at start: the apps' tasks modules
    app.tasks[spec["task"]].apply(throw=True)
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(("age", "status"), [(119, 200), (121, 503), (3600, 503)])
def test_a_beat_older_than_twice_the_shortest_period_is_503(client, age, status):
    health.beat_record(timezone.now() - timedelta(seconds=age))
    response = client.get("/healthz")
    assert response.status_code == status
    assert response.json()["beat"]["age_seconds"] == pytest.approx(age, abs=2)


def test_the_limit_follows_the_schedule(client, settings):
    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        "often": {"task": "stprogram.tasks.heartbeat", "schedule": timedelta(seconds=10)},
    }
    health.beat_record(timezone.now() - timedelta(seconds=30))
    assert client.get("/healthz").status_code == 503


def test_the_command_line_check_fails_with_a_stale_beat(capsys):
    with pytest.raises(CommandError):
        call_command("healthz")
    health.beat_record()
    call_command("healthz")
    assert '"status": "ok"' in capsys.readouterr().out


def test_compose_services_carry_healthchecks_that_use_it():
    services = _compose()["services"]
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("worker", "beat"):
        assert services[name]["healthcheck"]["test"][-2:] == ["manage.py", "healthz"]
