"""How a reminder reads, in the active language: on the page, in e-mail and in the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from obligations.citations import citation_text
from obligations.labels import STRENGTH_LABELS, code_label
from stprogram.models import Reminder
from stprogram.reminders.collect import ESCALATION

# Categories a person can turn off; escalations cannot be, so they are not listed.
CATEGORY_LABELS = {
    "programme": gettext_lazy("Kontrakt och IUP"),
    "follow_up": gettext_lazy("Handledning, bedömningar och årlig uppföljning"),
    "rotations": gettext_lazy("Placeringar"),
    "inspections": gettext_lazy("Granskningar av enheten (SPUR, självvärdering)"),
    "supervisor_training": gettext_lazy("Handledarutbildning"),
}


def category_label(category: str) -> str:
    """The translated name of a reminder category."""
    if category == "escalation":
        return _("Eskalering till studierektor")
    return str(CATEGORY_LABELS[category])


@dataclass(frozen=True)
class Text:
    title: str
    when: str
    detail: str


def describe(reminder: Reminder, today: date | None = None) -> Text:
    """Title, deadline sentence and detail line of a reminder, as read on `today`.

    `today` is the day the e-mail is sent or the page is shown: "in N days"
    counts from then, not from the reminder step's nominal 30 or 7 days.
    """
    due = date_format(reminder.due, "j F Y")
    return Text(
        title=title(reminder.code, reminder.subject_label),
        when=_when(reminder, due, today or timezone.localdate()),
        detail=detail(reminder.strength, reminder.count, reminder.required, reminder.source),
    )


def title(code: str, subject: str) -> str:
    """ "Obligation – whose": the line a person scans a list by."""
    return _("%(obligation)s – %(subject)s") % {"obligation": code_label(code), "subject": subject}


def _when(reminder: Reminder, due: str, today: date) -> str:
    if reminder.step == ESCALATION:
        return _(
            "Försenad sedan %(due)s. Du får detta som studierektor eftersom kravet "
            "fortfarande inte är uppfyllt."
        ) % {"due": due}
    # A step sent late (after an outage, or read days later) says what is
    # true today, whichever step produced it.
    days = (reminder.due - today).days
    if days > 0:
        return ngettext(
            "Ska vara klart om %(days)d dag, %(due)s.",
            "Ska vara klart om %(days)d dagar, %(due)s.",
            days,
        ) % {"days": days, "due": due}
    if days == 0:
        return _("Ska vara klart i dag, %(due)s.") % {"due": due}
    return _("Försenad: skulle ha varit klart %(due)s.") % {"due": due}


def detail(strength: str, count: int | None, required: int | None, source: str) -> str:
    """Must or should, progress on a quota, and the guideline the rule comes from."""
    parts = [str(STRENGTH_LABELS.get(strength, strength))]
    if required:
        parts.append(
            _("%(count)d av %(required)d gjorda under utbildningsåret")
            % {"count": count or 0, "required": required}
        )
    if citation := citation_text(source):
        parts.append(_("Källa: %(source)s") % {"source": citation})
    return " · ".join(parts)
