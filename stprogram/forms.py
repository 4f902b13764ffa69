"""Form fields shared by the apps."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The first line of every drop-down that may be left empty or is not yet chosen.
EMPTY_CHOICE_LABEL = _("– Välj –")
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


class CalendarDateField(forms.DateField):
    """A date within 1900–2100.

    The rule engine adds months and years to these dates (a planned end is up to
    6,600 months after the start at 1 % extent), so a date near year 1 or 9999 must
    be refused here rather than overflow on a later page.
    """

    default_error_messages = {"range": _("Datumet måste ligga mellan år 1900 och 2100.")}

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise ValidationError(self.error_messages["range"], code="range")
