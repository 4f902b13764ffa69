"""Logging filters."""

from __future__ import annotations

import logging
import re

# The secret in a calendar feed's, an assessor link's or an invitation's path (and
# in a Referer header pointing at one): whoever reads the log must not be able to use it.
TOKEN_PATH_RE = re.compile(
    r"(/(?:kalender|bedomning|inbjudan)/)[^/?#\s\"']+?(\.ics)?(?=[/?#\s\"']|$)"
)
TOKEN_MASK = "[dold]"

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


def mask_tokens(text: str) -> str:
    """The text with every token path segment replaced by a mask."""
    return TOKEN_PATH_RE.sub(lambda m: f"{m[1]}{TOKEN_MASK}{m[2] or ''}", text)


class MaskTokensFilter(logging.Filter):
    """Replace calendar and assessor-link tokens in a log record (Django's request log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
