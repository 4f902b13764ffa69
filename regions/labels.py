"""Swedish names of the obligation codes and strengths, for pages and e-mails."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CODE_LABELS = {
    "contract": _("ST-kontrakt"),
    "iup": _("IUP upprättad och godkänd"),
    "iup_bt": _("IUP för BT"),
    "planning_meeting": _("Planeringsmöte"),
    "iup_revision": _("Revision av IUP"),
    "supervision": _("Handledarsamtal"),
    "supervision_hours": _("Handledningstid"),
    "assessments": _("Kompetensbedömningar"),
    "specialist_colloquium": _("Specialistkollegium"),
    "trainee_annual_report": _("ST-läkarens årliga rapport"),
    "supervisor_statement": _("Handledarutlåtande"),
    "development_talk": _("Utvecklingssamtal med verksamhetschef"),
    "supervisor_followup": _("Uppföljningssamtal med huvudhandledare"),
    "studierektor_followup": _("Uppföljning med studierektor"),
    "supervision_evaluation": _("Utvärdering av handledningen"),
    "rotation_supervisor": _("Namngiven handledare vid placering"),
    "rotation_feedback": _("Återkoppling efter placering"),
    "rotation_contact": _("Kontakt med mottagande enhet före extern placering"),
    "external_inspection": _("Extern granskning (SPUR)"),
    "self_assessment": _("Självvärdering"),
    "supervisor_training": _("Handledarutbildning (grundkurs)"),
    "supervisor_training_supplementary": _("Kompletterande handledarutbildning"),
    "action_measure": _("Åtgärd i åtgärdsplan"),
    "action_plan_follow_up": _("Uppföljning av åtgärdsplan"),
    "inspection_measure": _("Åtgärd efter granskning"),
    "inspection_follow_up": _("Uppföljning av handlingsplan efter granskning"),
}

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
