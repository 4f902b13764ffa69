"""Issue 17, item 6: a slow mail server must never make a reminder go out twice.

A delivery run claims a batch of reminders and sends them one by one; a run
that finds a claim older than the lease takes the row over (its claimant may
have died). With 200 mails and a 10 s SMTP timeout a live run outlasted the
15-minute lease, and a second run sent its unsent tail again. Here a real
SMTP server on a local socket takes its time over every message, the lease is
short, and two runs deliver at once.
"""

from __future__ import annotations

import socketserver
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from email import message_from_bytes

import pytest
from django.db import connection, connections
from django.utils import timezone

from stprogram.models import NotificationPreference, Reminder
from stprogram.reminders import outbox
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent writers need PostgreSQL; SQLite serialises the whole database.",
    ),
]

SECONDS_PER_MESSAGE = 0.5
LEASE = timedelta(seconds=2)


class SlowSmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every message is accepted, slowly, and recorded."""

    def handle(self) -> None:
        self._reply("220 slow.test ESMTP")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb == "QUIT":
                self._reply("221 bye")
                return
            if verb == "DATA":
                self._reply("354 go ahead")
                self._receive()
            elif verb == "EHLO":
                self._reply("250-slow.test\r\n250 8BITMIME")
            else:
                self._reply("250 ok")

    def _receive(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        time.sleep(SECONDS_PER_MESSAGE)
        message = message_from_bytes(b"".join(lines))
        self.server.received.append((message["To"], message["Subject"]))
        self._reply("250 queued")

    def _reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode("ascii"))


@pytest.fixture
def slow_smtp(settings, monkeypatch) -> Iterator[list[tuple[str, str]]]:
    """A local SMTP server taking half a second per message; the messages it accepted."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SlowSmtpHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.server_address[1], "timeout": 5},
        }
    }
    monkeypatch.setattr(outbox, "LEASE", LEASE)
    yield server.received
    server.shutdown()
    server.server_close()


def _reminders(world, count: int, *, digest: bool = False) -> list[Reminder]:
    rows = []
    for index in range(count):
        user = UserFactory(email=f"recipient{index}@blekinge.test")
        if digest:
            NotificationPreference.objects.create(user=user, email_mode="digest")
        rows.append(
            Reminder.objects.create(
                region=world.region,
                user=user,
                obligation_key=f"trainee:{world.trainee.pk}:contract",
                step="before-7",
                category="programme",
                code="contract",
                strength="must",
                due=date(2025, 2, 13),
                subject_label=f"ST-kontrakt {index}",
                path=f"/{world.region.slug}/min-st/",
                status=Reminder.Status.DIGEST if digest else Reminder.Status.PENDING,
                notified_at=timezone.now() if digest else None,
            )
        )
    return rows


def _run_alongside(first: Callable[[], object], second: Callable[[], object]) -> None:
    """Run `first` once and `second` over and over until `first` is done, in two threads."""
    done = threading.Event()
    errors: list[BaseException] = []

    def guarded(work: Callable[[], object]) -> None:
        try:
            work()
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            connections.close_all()

    def repeat() -> None:
        while not done.wait(0.2):
            second()

    threads = [threading.Thread(target=guarded, args=(work,)) for work in (first, repeat)]
    threads[1].start()
    threads[0].start()
    threads[0].join(timeout=120)
    done.set()
    threads[1].join(timeout=120)
    assert not errors, errors


def test_a_delivery_outliving_its_lease_sends_each_reminder_once(world, slow_smtp):
    reminders = _reminders(world, 8)  # 4 s of mail against a 2 s lease

    _run_alongside(outbox.deliver_ready, outbox.deliver_ready)

    assert Counter(to for to, _subject in slow_smtp) == {r.user.email: 1 for r in reminders}
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_a_digest_run_outliving_the_lease_sends_each_reminder_in_one_digest(world, slow_smtp):
    reminders = _reminders(world, 8, digest=True)

    _run_alongside(outbox.send_digests, outbox.deliver_ready)
    # A week later nothing is left over for a second digest.
    assert outbox.send_digests(timezone.now() + timedelta(days=7)) == 0

    assert Counter(to for to, _subject in slow_smtp) == {r.user.email: 1 for r in reminders}
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
