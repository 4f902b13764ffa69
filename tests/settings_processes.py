"""Settings for the Celery worker and beat that tests/stprogram/test_processes.py starts.

The production settings (the environment gives the database as the
application role, and a Redis of the test's own), with three changes so a
test sees in seconds what production does in minutes: the beat schedule in
seconds, a visibility timeout of seconds (a killed worker's task comes back
within the test), and mail written one file per message for the test to count.
"""

from __future__ import annotations

import os
from datetime import timedelta

from stprogram.settings import *  # noqa: F403
from stprogram.settings import CELERY_BEAT_SCHEDULE

# Seconds between runs; an entry not named here (added later) runs every 2 s.
PERIODS = {"heartbeat": 1, "reminders-deliver": 1}
CELERY_BEAT_SCHEDULE = {
    name: {
        **entry,
        "schedule": timedelta(seconds=PERIODS.get(name, 2)),
        "options": {**entry.get("options", {}), "expires": PERIODS.get(name, 2) * 0.9},
    }
    for name, entry in CELERY_BEAT_SCHEDULE.items()
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ["STPROGRAM_TEST_VISIBILITY_TIMEOUT"]),
    # Look for tasks of dead workers every second, not every 100 s.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
MAILERS = {
    "default": {
        "BACKEND": "tests.mailsink.OneFilePerMessage",
        "OPTIONS": {
            "directory": os.environ["STPROGRAM_TEST_MAIL_DIR"],
            "delay_file": os.environ["STPROGRAM_TEST_MAIL_DELAY_FILE"],
        },
    }
}
