"""Logging filters."""

from __future__ import annotations

import logging
import re

# 12 or 10 digits with an optional - or + before the last four: YYYYMMDD-NNNN,
# YYMMDD-NNNN. Masked wherever it appears, whatever logged it.
PERSONNUMMER_RE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")


class MaskPersonnummerFilter(logging.Filter):
    """Replace anything shaped like a personnummer in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = PERSONNUMMER_RE.sub("<personnummer>", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
