"""The reminder scan as a real process, SIGKILLed mid-way and run again: none lost or doubled.

A scan of synthetic trainees (the benchmark's seeding) runs in small batches
on a database file. It is killed while it is still collecting (some batches'
reminders stored, none sent) or while it is delivering (some mails out, the
rest claimed), then started again. The reminders and the e-mails in the end
are exactly those of an uninterrupted scan of a copy of the same database:
same rows, same recipients, same texts, each once. What the kill left
claimed waits for its lease; the test moves the claim's time back by the
lease instead of sleeping through it.
"""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

# Both kills on one xdist worker (`--dist loadgroup`), so the database is seeded once.
pytestmark = pytest.mark.xdist_group("scan-killed")

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
call_command("migrate", interactive=False, verbosity=0)
from devtools.seeding import seed_national_scale
with transaction.atomic():
    seed_national_scale(trainees=120, units=12, events_per_trainee=20)
"""
# The scan in batches of 10 trainees, stored 20 obligations at a time; with
# "collecting" or "delivering" it pauses after each stored chunk or each sent
# mail, so the kill lands between two steps of the kind under test.
SCAN = """
import sys, time
from datetime import datetime, time as dt_time
import django
django.setup()
from django.utils import timezone
from devtools.bench.engine import BENCH_ON
from stprogram.reminders import collect, outbox
collect.BATCH = 10
outbox.INSERT_BATCH = 20

def paused(function):
    def run(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(0.3)
        return result
    return run

if sys.argv[1] == "collecting":
    outbox._insert_new = paused(outbox._insert_new)
elif sys.argv[1] == "delivering":
    outbox.handle_one = paused(outbox.handle_one)
now = datetime.combine(BENCH_ON, dt_time(8), tzinfo=timezone.get_current_timezone())
print(outbox.scan(on=BENCH_ON, now=now))
"""


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    env.update(DJANGO_SETTINGS_MODULE="stprogram.settings", STPROGRAM_VAR_DIR=str(var))
    return env


def _run(script: str, var: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=_env(var),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _rows(var: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(var / "db.sqlite3", timeout=30) as db:
        return db.execute(sql).fetchall()


def _count(var: Path, where: str = "1") -> int:
    return _rows(var, f"SELECT count(*) FROM stprogram_reminder WHERE {where}")[0][0]


def _reminders(var: Path) -> Counter:
    return Counter(
        _rows(var, "SELECT obligation_key, user_id, step, status, attempts FROM stprogram_reminder")
    )


def _mails(var: Path) -> Counter:
    """(to, subject, plain text) of every e-mail the file backend wrote."""
    found: Counter = Counter()
    for path in sorted((var / "mail").glob("*.log")):
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                message = email.message_from_string(chunk, policy=email.policy.default)
                text = message.get_body(("plain",)).get_content()
                found[str(message["To"]), str(message["Subject"]), text] += 1
    return found


def _wait_for(condition, what: str, timeout: float = 600) -> None:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A seeded database file and the outcome of one uninterrupted scan of a copy of it."""
    base = tmp_path_factory.mktemp("seeded")
    _run(SETUP, base)
    control = base / "control"
    control.mkdir()
    shutil.copy(base / "db.sqlite3", control / "db.sqlite3")
    shutil.copy(base / "secret_key", control / "secret_key")
    _run(SCAN, control, "straight")
    return base


@pytest.mark.parametrize("phase", ["collecting", "delivering"])
def test_scan_killed_mid_way_and_run_again_sends_every_reminder_once(seeded, tmp_path, phase):
    control = seeded / "control"
    for name in ("db.sqlite3", "secret_key"):
        shutil.copy(seeded / name, tmp_path / name)
    scan = subprocess.Popen(
        [sys.executable, "-c", SCAN, phase],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        if phase == "collecting":
            _wait_for(lambda: _count(tmp_path) > 0, "the first stored reminders")
        else:
            _wait_for(lambda: _count(tmp_path, "status = 'sent'") >= 3, "the first sent mails")
    finally:
        scan.send_signal(signal.SIGKILL)
        scan.wait(timeout=30)
    at_kill = {
        "stored": _count(tmp_path),
        "sent": _count(tmp_path, "status = 'sent'"),
        "mails": sum(_mails(tmp_path).values()),
    }
    # The lease (15 minutes) passes.
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute(
            "UPDATE stprogram_reminder SET claimed_at = datetime(claimed_at, '-16 minutes')"
            " WHERE status = 'sending'"
        )
    _run(SCAN, tmp_path, "again")

    expected, mails = _reminders(control), _mails(control)
    assert sum(mails.values()) > 20
    assert all(status == "sent" for _key, _user, _step, status, _n in expected)
    # The kill did land mid-way: the run after it had work left.
    total = sum(expected.values())
    if phase == "collecting":
        assert 0 < at_kill["stored"] < total, at_kill
        assert at_kill["mails"] == 0, at_kill
    else:
        assert at_kill["stored"] == total, at_kill
        assert 0 < at_kill["mails"] < total, at_kill
    # Every reminder once, each sent on its first attempt, each e-mail once with the same text.
    assert _reminders(tmp_path) == expected
    assert max(_mails(tmp_path).values()) == 1
    assert _mails(tmp_path) == mails
