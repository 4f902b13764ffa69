"""The production path for real: `celery worker` and `celery beat` on Redis and PostgreSQL.

Each test starts the processes docker-compose.yml runs, as subprocesses: the
worker and beat connect to the test database as the application role (behind
the region wall) and to a Redis server of this test session's own, which a
test may stop without disturbing anyone else. Their settings
(tests/settings_processes.py) are production's with the schedule in seconds
and mail written one file per message, so the test counts exactly what a
mail server would have received. Run on PostgreSQL with Redis configured
(the second pass of `make test`); skipped otherwise.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from stprogram.models import NotificationPreference, Reminder
from stprogram.reminders.mail import reminder_message
from tests.factories import AssignmentFactory, TraineeFactory
from trainees.models import Activity, CertificatePacket

pytestmark = [
    pytest.mark.processes,
    pytest.mark.django_db(transaction=True),
    # One set of processes for the module: under xdist (`--dist loadgroup`) on one worker.
    pytest.mark.xdist_group("processes"),
]

ROOT = Path(__file__).resolve().parents[2]
# Short, so a task of a killed worker comes back within the test (production: an hour).
VISIBILITY_TIMEOUT = 6
# Longer than any lease: what a test does to a claim left by a killed worker,
# instead of waiting out the lease (5 minutes for packets, 15 for reminders).
LEASE_PASSED = timedelta(hours=1)


def _skip_unless_production_stack() -> None:
    if connection.vendor != "postgresql" or not django_settings.REDIS_URL:
        pytest.skip("Needs PostgreSQL and Redis (the second pass of `make test`).")
    if shutil.which("redis-server") is None:
        pytest.skip("Needs redis-server to start a Redis of the test's own.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], object], what: str, timeout: float = 30.0) -> float:
    """Poll until `check()` is true; return the seconds it took."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - started


class RedisServer:
    """A Redis of this test session's own, on a free port, without persistence (as in CI)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        wait_for(self.answers, "Redis starts", timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def flush(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            sock.recv(16)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    _skip_unless_production_stack()
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@dataclass
class Stack:
    """The worker and beat processes, their mail and their logs."""

    directory: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    _log_start: dict[str, int] = field(default_factory=dict)

    @property
    def mail_dir(self) -> Path:
        return self.directory / "mail"

    def start(self, *names: str) -> None:
        """Start `celery -A stprogram worker|beat` for each name, together, and wait until up."""
        for name in names:
            self._spawn(name)
        for name in names:
            wait_for(lambda name=name: self._up(name), f"{name} starts", timeout=60)

    def _spawn(self, name: str) -> None:
        log = self.directory / f"{name}.log"
        self._log_start[name] = log.stat().st_size if log.exists() else 0
        with log.open("ab") as out:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "stprogram", *self._args(name)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _args(self, name: str) -> list[str]:
        if name.startswith("worker"):
            # As in docker-compose.yml: prefork, two processes. Gossip, mingle and
            # the event heartbeat only slow the start; they change no delivery.
            return [
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        schedule, pidfile = self.directory / f"{name}-schedule", self.directory / f"{name}.pid"
        return ["beat", "--loglevel=INFO", f"--schedule={schedule}", f"--pidfile={pidfile}"]

    def _up(self, name: str) -> bool:
        if self.processes[name].poll() is not None:
            raise AssertionError(f"{name} exited:\n{self.log(name)[-3000:]}")
        ready = " ready." if name.startswith("worker") else "beat: Starting"
        return ready in self.log(name)[self._log_start[name] :]

    def running(self, name: str) -> bool:
        return name in self.processes and self.processes[name].poll() is None

    def kill(self, name: str) -> None:
        """SIGKILL the process and its children, as `docker kill` or the OOM killer would."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")

    def count(self, name: str, text: str) -> int:
        return self.log(name).count(text)

    def mail_delay(self, seconds: float) -> None:
        (self.directory / "mail-delay").write_text(str(seconds))

    def mails(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every message the worker handed to the mail server."""
        parser = BytesParser(policy=policy.default)
        found = []
        for path in sorted(self.mail_dir.glob("*.eml")):
            message = parser.parsebytes(path.read_bytes())
            found.append((str(message["To"]), str(message["Subject"])))
        return sorted(found)


@pytest.fixture(scope="module")
def processes(
    django_db_setup: None, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """One worker and one beat for the module, on the test database as the application role."""
    _skip_unless_production_stack()
    from stprogram.celery import app

    directory = tmp_path_factory.mktemp("processes")
    db = connection.settings_dict
    role = django_settings.STPROGRAM_DB_APP_ROLE
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_processes",
        "DATABASE_URL": f"postgres://{role}:{role}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_server.url,
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "STPROGRAM_VAR_DIR": str(directory / "var"),
        "STPROGRAM_MEDIA_ROOT": str(directory / "media"),
        "STPROGRAM_TEST_MAIL_DIR": str(directory / "mail"),
        "STPROGRAM_TEST_MAIL_DELAY_FILE": str(directory / "mail-delay"),
        "STPROGRAM_TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    # The web side (this process) queues on the Redis the worker reads.
    previous = app.conf.broker_url
    _use_broker(app, redis_server.url)
    stack = Stack(directory=directory, env=env)
    stack.start("worker", "beat")
    try:
        yield stack
    finally:
        for name in list(stack.processes):
            stack.kill(name)
        _use_broker(app, previous)


@pytest.fixture
def stack(processes: Stack, transactional_db: None, redis_server: RedisServer, settings) -> Stack:
    """The running processes, an empty mailbox; committed data, so the processes see it."""
    settings.MEDIA_ROOT = processes.directory / "media"
    for path in [*processes.mail_dir.glob("*.eml"), *_pdfs(processes)]:
        path.unlink()
    yield processes
    # Whatever a test broke, the next one starts with Redis, one worker and one beat.
    processes.mail_delay(0)
    if redis_server.process is None:
        redis_server.start()
    for name in [n for n in processes.processes if n not in ("worker", "beat")]:
        processes.kill(name)
    processes.start(*[n for n in ("worker", "beat") if not processes.running(n)])


def _use_broker(app, url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def _packet_url(world, suffix: str = "") -> str:
    return f"/{world.region.slug}/st/{world.trainee.pk}/intyg/paket/{suffix}"


def _request_packet(world, login) -> tuple[CertificatePacket, object]:
    client = login(world.trainee.user)
    response = client.post(_packet_url(world), {"kind": "st"})
    assert response.status_code == 302
    return CertificatePacket.unscoped.get(), client


def _courses(world, count: int) -> None:
    """Courses, each a certificate in the packet: a packet that takes seconds to render."""
    for index in range(count):
        Activity.unscoped.create(
            region=world.region,
            trainee=world.trainee,
            created_by=world.supervisor,
            kind="course",
            title=f"Kurs {index}",
            start=date(2025, 3, 3) + timedelta(days=7 * index),
            end=date(2025, 3, 4) + timedelta(days=7 * index),
            goal_codes=["STa4"],
        )


def _status(packet: CertificatePacket) -> str:
    packet.refresh_from_db()
    return packet.status


def _pdfs(stack: Stack) -> list[Path]:
    return list((stack.directory / "media").rglob("intygspaket-*.pdf"))


def _due_soon(world, count: int) -> None:
    """Trainees whose contract is due in five days: each, and their supervisor, gets a reminder."""
    start = timezone.localdate() + timedelta(days=5) - relativedelta(months=1)
    for index in range(count):
        trainee = TraineeFactory(
            home_unit=world.unit,
            user__email=f"due{index}@blekinge.test",
            start_date=start,
        )
        AssignmentFactory(trainee=trainee, user=world.supervisor, role="main_supervisor")


def _expected_mails() -> list[tuple[str, str]]:
    """One mail per reminder sent to someone who reads them one by one."""
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).select_related("user", "region")
    digest = NotificationPreference.Mode.DIGEST
    rows = sent.exclude(user__notification_preference__email_mode=digest)
    return sorted((r.user.email, reminder_message(r).subject) for r in rows)


def _all_delivered() -> bool:
    waiting = (Reminder.Status.PENDING, Reminder.Status.SENDING, Reminder.Status.DIGEST)
    return Reminder.objects.exists() and not Reminder.objects.filter(status__in=waiting).exists()


def _more_runs(stack: Stack, task: str, runs: int = 2) -> None:
    """Wait until the worker has run the periodic task `runs` more times."""
    done = re.compile(re.escape(task) + r"\[[0-9a-f-]+\] succeeded")

    def finished() -> int:
        return len(done.findall(stack.log("worker")))

    before = finished()
    wait_for(lambda: finished() >= before + runs, f"{runs} more {task}")


def _doubles(mails: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [mail for mail, times in Counter(mails).items() if times > 1]


# --- The processes at work -----------------------------------------------------------


def test_a_packet_requested_in_the_web_is_rendered_by_the_worker(stack, world, login):
    packet, client = _request_packet(world, login)
    took = wait_for(lambda: _status(packet) == "ready", "the packet is rendered", timeout=40)
    print(f"\npacket rendered {took:.1f} s after the request")
    # The request's task went through Redis to the worker (ids only).
    assert "render_certificate_packet[" in stack.log("worker")
    download = client.get(_packet_url(world, f"{packet.pk}.pdf"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert packet.attempts == 1
    assert len(_pdfs(stack)) == 1


def test_beat_triggers_the_scan_and_each_mail_and_digest_goes_out_once(stack, world):
    _due_soon(world, 3)
    # The supervisor reads a weekly digest instead of one mail per reminder.
    NotificationPreference.objects.create(user=world.supervisor, email_mode="digest")
    took = wait_for(_all_delivered, "the scan's reminders are delivered", timeout=40)
    print(f"\nreminders delivered {took:.1f} s after the data was committed")
    # More scans and digest runs: nothing new, nothing twice.
    _more_runs(stack, "stprogram.tasks.scan_reminders")
    _more_runs(stack, "stprogram.tasks.send_reminder_digests")
    mails = stack.mails()
    digests = [m for m in mails if m[0] == world.supervisor.email]
    assert len(digests) == 1
    assert digests[0][1].startswith("Veckosammanfattning")
    others = [m for m in mails if m[0] != world.supervisor.email]
    print(f"one beat: {len(mails)} mails ({len(digests)} digest), {Reminder.objects.count()} rows")
    assert others == _expected_mails()
    assert len(others) >= 3  # each new trainee's contract reminder


def test_two_beats_at_once_still_send_one_mail_per_reminder(stack, world):
    stack.start("beat-2")
    _due_soon(world, 6)
    wait_for(_all_delivered, "the reminders are delivered", timeout=40)
    # Both beats keep sending scans; the worker runs them side by side.
    scans = "Sending due task reminders-scan"
    both = stack.count("beat", scans), stack.count("beat-2", scans)
    wait_for(
        lambda: (
            stack.count("beat", scans) >= both[0] + 2
            and stack.count("beat-2", scans) >= both[1] + 2
        ),
        "two more scans from each beat",
    )
    _more_runs(stack, "stprogram.tasks.scan_reminders")
    mails = stack.mails()
    print(f"\ntwo beats: {len(mails)} mails for {Reminder.objects.count()} reminders")
    assert mails == _expected_mails()
    assert len(mails) >= 12  # six trainees and their supervisor, one contract each
    assert not _doubles(mails)


# --- Faults --------------------------------------------------------------------------


def test_a_worker_killed_mid_render_and_mid_mail_batch_finishes_both_once(stack, world, login):
    """SIGKILL while one process renders a packet and the other sends a batch of mail."""
    _due_soon(world, 6)
    _courses(world, 12)
    # Each message takes a second to hand over, so the batch is still going at the kill.
    stack.mail_delay(1.0)
    wait_for(lambda: len(stack.mails()) >= 2, "the first mails of the batch", timeout=40)
    packet, client = _request_packet(world, login)
    wait_for(lambda: _status(packet) == "rendering", "the worker starts rendering")
    sent = len(stack.mails())
    wait_for(lambda: len(stack.mails()) > sent, "one more mail")
    time.sleep(0.3)  # between two messages: the last one handed over is marked sent
    stack.kill("worker")
    killed = time.monotonic()
    before = len(stack.mails())
    assert _status(packet) == "rendering"
    claimed = Reminder.objects.filter(status=Reminder.Status.SENDING)
    assert claimed.exists()
    received = r"render_certificate_packet\[([0-9a-f-]+)\] received"
    task = re.findall(received, stack.log("worker"))[-1]
    # The dead worker's claims age past their leases (5 minutes for a packet, 15
    # for a reminder): in production long gone when Redis hands the
    # unacknowledged tasks out again, an hour later.
    orphaned = CertificatePacket.unscoped.filter(pk=packet.pk)
    orphaned.update(claimed_at=F("claimed_at") - LEASE_PASSED)
    claimed.update(claimed_at=F("claimed_at") - LEASE_PASSED)
    stack.mail_delay(0)
    stack.start("worker")
    restarted = time.monotonic() - killed
    wait_for(_all_delivered, "the rest of the batch is delivered", timeout=40)
    delivered = time.monotonic() - killed
    wait_for(lambda: _status(packet) == "ready", "the packet is rendered", timeout=40)
    rendered = time.monotonic() - killed
    # Acknowledged late, the render task itself comes back from Redis.
    wait_for(lambda: f"[{task}] succeeded" in stack.log("worker"), "the task is redelivered")
    _more_runs(stack, "stprogram.tasks.deliver_reminders")
    mails = stack.mails()
    render = re.search(r"\] succeeded in ([0-9.]+)s: 'ready'", stack.log("worker")[-20000:])
    print(f"\nrender took {render and render.group(1)} s")
    print(
        f"\nworker up {restarted:.1f} s after the kill; packet ready {rendered:.1f} s,"
        f" batch done {delivered:.1f} s; {before} mails before the kill, {len(mails)} in all"
    )
    assert mails == _expected_mails()
    assert len(mails) > before
    assert not _doubles(mails)
    packet.refresh_from_db()
    assert packet.attempts == 1
    assert len(_pdfs(stack)) == 1
    assert client.get(_packet_url(world, f"{packet.pk}.pdf")).status_code == 200


def test_redis_down_pages_answer_and_work_resumes_when_it_returns(
    stack, world, login, redis_server, settings
):
    # Pages already served once, so the timing below is Redis's part, not Python's imports.
    warm = login(world.trainee.user)
    assert warm.get(f"/{world.region.slug}/min-st/").status_code == 200
    assert warm.get(f"/{world.region.slug}/st/{world.trainee.pk}/intyg/").status_code == 200
    redis_server.stop()
    time.sleep(1)  # a task the worker had already taken finishes
    _due_soon(world, 2)
    settings.CACHES = {
        "default": {
            "BACKEND": "stprogram.cache.TolerantRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    started = time.monotonic()
    packet, client = _request_packet(world, login)
    requested = time.monotonic() - started
    page = client.get(f"/{world.region.slug}/min-st/")
    answered = time.monotonic() - started
    print(f"\nRedis down: packet request {requested:.1f} s, with a page {answered:.1f} s")
    assert page.status_code == 200
    assert answered < 5, f"a request and a page took {answered:.1f} s with Redis down"
    time.sleep(2)
    assert _status(packet) == "pending"
    assert not stack.mails()
    redis_server.start()
    back = time.monotonic()
    wait_for(lambda: _status(packet) == "ready", "the scan renders the packet", timeout=40)
    rendered = time.monotonic() - back
    wait_for(_all_delivered, "the reminders go out", timeout=40)
    sent = time.monotonic() - back
    print(f"Redis back: packet ready {rendered:.1f} s, reminders sent {sent:.1f} s later")
    assert stack.mails() == _expected_mails()
    assert len(stack.mails()) >= 4
    from stprogram.cache import TolerantRedisCache

    TolerantRedisCache._down_until = 0.0
