"""The Celery settings that make a killed worker's task run again, and only once."""

from __future__ import annotations

from django.conf import settings

from stprogram.celery import app


def _time_limit(task) -> float:
    return task.time_limit or app.conf.task_time_limit


def test_every_task_has_a_time_limit_below_the_visibility_timeout():
    """Redis re-delivers a task still running after the visibility timeout: it would run twice."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert ours
    for name, task in ours.items():
        assert _time_limit(task), f"{name} has no time limit"
        assert (task.soft_time_limit or app.conf.task_soft_time_limit) < _time_limit(task)
        assert _time_limit(task) < visibility, f"{name} may outlive the visibility timeout"


def test_a_task_is_acknowledged_after_it_ran_and_put_back_if_its_worker_dies():
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    # One task at a time per process: a killed worker strands no queue of prefetched tasks.
    assert app.conf.worker_prefetch_multiplier == 1
