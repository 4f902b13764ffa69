"""Swedish personal identity numbers (personnummer): validation, normalisation, masking."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})$")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def normalise(value: str) -> str:
    """Return the number as 12 digits (YYYYMMDDNNNN) or raise ValidationError in Swedish."""
    match = _PATTERN.match(value.strip().replace(" ", ""))
    if not match:
        raise ValidationError(_("Ange personnumret som ÅÅÅÅMMDD-NNNN."), code="format")
    century, yy, mm, dd, last4 = match.groups()
    if century is None:
        raise ValidationError(_("Ange personnumret med fyrsiffrigt årtal (ÅÅÅÅMMDD-NNNN)."))
    day = int(dd) - 60 if int(dd) > 60 else int(dd)  # samordningsnummer add 60 to the day
    try:
        date(int(century + yy), int(mm), day)
    except ValueError:
        raise ValidationError(
            _("Personnumret innehåller ett ogiltigt datum."), code="date"
        ) from None
    if not _luhn_ok(yy + mm + dd + last4):
        raise ValidationError(_("Personnumrets kontrollsiffra stämmer inte."), code="checksum")
    return century + yy + mm + dd + last4


def formatted(value: str) -> str:
    """YYYYMMDD-NNNN, for the one place it is shown in full (certificates)."""
    return f"{value[:8]}-{value[8:]}" if value else ""


def masked(value: str) -> str:
    """YYYYMMDD-****: enough to tell people apart, not enough to identify them."""
    return f"{value[:8]}-****" if value else ""
