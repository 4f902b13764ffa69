"""A mail backend for the Celery processes the tests start: one file per message.

The worker writes each message to its own file (renamed into place, so a
reader never sees half a message) after a delay that stands in for the SMTP
exchange before the server accepts it. The delay is read, in seconds, from a
file the test may rewrite while the worker runs. The test counts the files.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class OneFilePerMessage(BaseEmailBackend):
    def __init__(self, *, directory: str, delay_file: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.delay_file = Path(delay_file)

    def _delay(self) -> float:
        try:
            return float(self.delay_file.read_text() or 0)
        except FileNotFoundError:
            return 0.0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in messages:
            time.sleep(self._delay())
            name = uuid.uuid4().hex
            partial = self.directory / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(self.directory / f"{name}.eml")
        return len(messages)
