"""One row per obligation code: what people see of it.

Its name on pages and in e-mails, the page where a trainee does it, and the
reminder category a person can switch off. What the engine knows about the
same code is `regions/rules/codes.py`; `tests/regions/test_codes.py` checks
that both tables and the five profiles name the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A page: (URL name, extra URL kwargs); the region and trainee are added.
Page = tuple[str, dict[str, str]]

CONTRACT: Page = ("trainees:contract", {})
IUP: Page = ("trainees:iup", {})
MEETINGS: Page = ("supervision:meetings", {})
NEW_MEETING: Page = ("supervision:meeting_new", {})
ASSESSMENTS: Page = ("assessments:list", {})


@dataclass(frozen=True, slots=True)
class CodeDisplay:
    """How a code reads and where it leads.

    `category` is the reminder category (`stprogram.models.NotificationPreference`);
    `page` is where the trainee does the thing, None when it has no page of
    its own (rotations, a unit's or a supervisor's obligations).
    """

    label: Promise
    category: str
    page: Page | None = None


CODE_DISPLAY: dict[str, CodeDisplay] = {
    "contract": CodeDisplay(_("ST-kontrakt"), "programme", CONTRACT),
    "iup": CodeDisplay(_("IUP upprättad och godkänd"), "programme", IUP),
    "iup_bt": CodeDisplay(_("IUP för BT"), "programme", IUP),
    "planning_meeting": CodeDisplay(_("Planeringsmöte"), "programme", MEETINGS),
    "iup_revision": CodeDisplay(_("Revision av IUP"), "programme", IUP),
    "supervision": CodeDisplay(_("Handledarsamtal"), "follow_up", NEW_MEETING),
    "supervision_hours": CodeDisplay(_("Handledningstid"), "follow_up", NEW_MEETING),
    "assessments": CodeDisplay(_("Kompetensbedömningar"), "follow_up", ASSESSMENTS),
    "specialist_colloquium": CodeDisplay(_("Specialistkollegium"), "follow_up", ASSESSMENTS),
    "trainee_annual_report": CodeDisplay(_("ST-läkarens årliga rapport"), "follow_up", MEETINGS),
    "supervisor_statement": CodeDisplay(_("Handledarutlåtande"), "follow_up", MEETINGS),
    "development_talk": CodeDisplay(
        _("Utvecklingssamtal med verksamhetschef"), "follow_up", MEETINGS
    ),
    "supervisor_followup": CodeDisplay(
        _("Uppföljningssamtal med huvudhandledare"), "follow_up", MEETINGS
    ),
    "studierektor_followup": CodeDisplay(_("Uppföljning med studierektor"), "follow_up", MEETINGS),
    "supervision_evaluation": CodeDisplay(_("Utvärdering av handledningen"), "follow_up", MEETINGS),
    "rotation_supervisor": CodeDisplay(_("Namngiven handledare vid placering"), "rotations"),
    "rotation_feedback": CodeDisplay(_("Återkoppling efter placering"), "rotations"),
    "rotation_contact": CodeDisplay(
        _("Kontakt med mottagande enhet före extern placering"), "rotations"
    ),
    "external_inspection": CodeDisplay(_("Extern granskning (SPUR)"), "inspections"),
    "self_assessment": CodeDisplay(_("Självvärdering"), "inspections"),
    "supervisor_training": CodeDisplay(_("Handledarutbildning (grundkurs)"), "supervisor_training"),
    "supervisor_training_supplementary": CodeDisplay(
        _("Kompletterande handledarutbildning"), "supervisor_training"
    ),
    # Not from the engine: open measures of action plans and inspection findings
    # (stprogram.reminders.collect reads them from their records).
    "action_measure": CodeDisplay(_("Åtgärd i åtgärdsplan"), "follow_up"),
    "action_plan_follow_up": CodeDisplay(_("Uppföljning av åtgärdsplan"), "follow_up"),
    "inspection_measure": CodeDisplay(_("Åtgärd efter granskning"), "inspections"),
    "inspection_follow_up": CodeDisplay(
        _("Uppföljning av handlingsplan efter granskning"), "inspections"
    ),
}

# The codes above that no profile names: they come from records, not the engine.
RECORD_CODES = frozenset(
    {"action_measure", "action_plan_follow_up", "inspection_measure", "inspection_follow_up"}
)
