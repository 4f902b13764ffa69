"""`manage.py run_worker`, the embedded scheduler of `make run`, killed mid-task and restarted.

A real process on a real database file: SIGKILL leaves no chance to tidy up.
After a restart every packet is rendered once, no reminder is lost and none
is sent twice. What a kill left claimed waits for its lease; the test moves
the claim's time back by the lease instead of sleeping through it.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo", quiet=True)
from stprogram.models import User
from trainees.certificates.packets import packet_kinds, packet_request
from trainees.models import Trainee
for trainee in Trainee.unscoped.select_related("user").order_by("pk")[:3]:
    packet_request(trainee=trainee, kind=packet_kinds(trainee)[-1], by=trainee.user)
"""


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="stprogram.settings",
        STPROGRAM_VAR_DIR=str(var),
        STPROGRAM_LOG_LEVEL="DEBUG",
        PORT="8080",
    )
    return env


def _worker(var: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=_env(var),
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
    )


def _wait_for(condition, timeout: float, what: str, poll: float = 0.2) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(poll)
    return time.monotonic() - start


def _reminders(var: Path) -> int:
    return _rows(var, "SELECT count(*) FROM stprogram_reminder")[0][0]


def _db(var: Path) -> sqlite3.Connection:
    return sqlite3.connect(var / "db.sqlite3", timeout=30)


def _rows(var: Path, sql: str) -> list[tuple]:
    with _db(var) as db:
        return db.execute(sql).fetchall()


def _settled(var: Path) -> bool:
    waiting = _rows(
        var,
        "SELECT count(*) FROM trainees_certificatepacket WHERE status IN ('pending','rendering')",
    )[0][0]
    undelivered = _rows(
        var, "SELECT count(*) FROM stprogram_reminder WHERE status IN ('pending','sending')"
    )[0][0]
    reminders = _rows(var, "SELECT count(*) FROM stprogram_reminder")[0][0]
    return waiting == 0 and undelivered == 0 and reminders > 0


def _mails(var: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted((var / "mail").glob("*.log")):
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                messages.append(email.message_from_string(chunk, policy=email.policy.default))
    return messages


def _text(message: email.message.EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


# The scan is killed as soon as its first reminders are stored (a fixed delay
# missed it on a fast run: all 36 mails were out within 0.3 s); the packet
# render runs long enough for a delay.
@pytest.mark.parametrize(
    ("task", "delay"), [("reminders-scan", None), ("certificate-packets", 1.5)]
)
def test_kill_run_worker_mid_task_and_restart(tmp_path, task, delay, capsys):
    setup = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    log = tmp_path / "worker.log"

    first = _worker(tmp_path, log)
    started = f"Scheduled task {task} started"
    _wait_for(lambda: started in log.read_text(), 300, started)
    if delay is None:
        _wait_for(lambda: _reminders(tmp_path) > 0, 300, "the first reminders", poll=0.005)
    else:
        time.sleep(delay)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    killed_at = time.monotonic()
    state = {
        "packets rendering": _rows(
            tmp_path,
            "SELECT count(*) FROM trainees_certificatepacket WHERE status = 'rendering'",
        )[0][0],
        "reminders sending": _rows(
            tmp_path, "SELECT count(*) FROM stprogram_reminder WHERE status = 'sending'"
        )[0][0],
        "reminders at kill": _reminders(tmp_path),
        "mails at kill": len(_mails(tmp_path)),
    }
    # The leases (5 min for packets, 15 for reminders) pass.
    with _db(tmp_path) as db:
        db.execute(
            "UPDATE trainees_certificatepacket SET claimed_at = datetime(claimed_at, '-6 minutes')"
            " WHERE status = 'rendering'"
        )
        db.execute(
            "UPDATE stprogram_reminder SET claimed_at = datetime(claimed_at, '-16 minutes')"
            " WHERE status = 'sending'"
        )

    second = _worker(tmp_path, log)
    try:
        _wait_for(lambda: _settled(tmp_path), 600, "the work to complete")
        recovered = time.monotonic() - killed_at
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    packets = _rows(tmp_path, "SELECT id, status, attempts FROM trainees_certificatepacket")
    rendered = Counter(
        line.split("Certificate packet ")[1].split()[0]
        for line in log.read_text().splitlines()
        if "rendered." in line
    )
    assert [(status, attempts) for _, status, attempts in packets] == [("ready", 1)] * 3
    assert sorted(rendered.values()) == [1, 1, 1], rendered

    sent = _rows(
        tmp_path,
        "SELECT count(*) FROM stprogram_reminder WHERE status = 'sent' AND attempts > 0",
    )[0][0]
    mails = [m for m in _mails(tmp_path) if str(m["Subject"]).startswith("Påminnelse:")]
    copies = Counter((str(m["To"]), str(m["Subject"]), _text(m)) for m in mails)
    assert sent > 0
    assert len(mails) == sent, "a reminder lost or sent twice"
    assert max(copies.values()) == 1, [k[:2] for k, n in copies.items() if n > 1]
    assert all("http://127.0.0.1:8080/" in _text(m) for m in mails)
    # The kill did land mid-task: work was left that only the restart did.
    assert state["mails at kill"] < len(mails) or state["packets rendering"], state
    with capsys.disabled():
        print(
            f"\n[{task}] killed {f'{delay}s in' if delay else 'at its first reminders'}; "
            f"state at kill: {state}; "
            f"all work done {recovered:.1f}s after the kill; "
            f"{len(mails)} reminder mails for {sent} sent reminders, 3 packets rendered once"
        )
