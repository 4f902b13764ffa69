"""Swedish names of the obligation codes and strengths, for pages and e-mails."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from obligations.codes import CODE_DISPLAY

# Derived from the interface's code table.
CODE_LABELS = {code: row.label for code, row in CODE_DISPLAY.items()}

STRENGTH_LABELS = {"must": _("Ska"), "should": _("Bör")}
STATUS_LABELS = {
    "done": _("Klar"),
    "late": _("Klar, sent"),
    "open": _("Öppen"),
    "overdue": _("Försenad"),
}
STATUS_ICONS = {"done": "✓", "late": "✓!", "open": "○", "overdue": "✗"}
SUBJECT_LABELS = {"trainee": _("ST-läkare"), "unit": _("Enhet"), "supervisor": _("Handledare")}


def code_label(code: str) -> str:
    """The Swedish (or English) name of an obligation code."""
    return str(CODE_LABELS.get(code, code))
