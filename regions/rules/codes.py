"""One row per obligation code: everything the engine knows about it.

The profiles name codes; this table says whom a code concerns, how it is
evaluated and which events fulfil it. What people see of a code (its name,
the page where it is done, its reminder category) is the interface's table,
`obligations/codes.py`. `tests/regions/test_codes.py` checks that both tables
and the five profiles name the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """Whom a code concerns, how it is evaluated, and what fulfils it.

    `kind` is deadline, interval, quota, rotation or interval_or_quota (the
    last is resolved per profile by which number the rule carries: Norrbotten
    an interval, Halland a quota). `events` are the event types that fulfil
    the code; "iup_approved:BT" is an iup_approved event with "phase": "BT".
    Codes without events are computed from other facts (rotations, hours).
    """

    subject: str
    kind: str
    events: tuple[str, ...] = ()


CODES: dict[str, Code] = {
    "contract": Code("trainee", "deadline", ("contract_signed",)),
    "iup": Code("trainee", "deadline", ("iup_approved",)),
    "iup_bt": Code("trainee", "deadline", ("iup_approved:BT",)),
    "planning_meeting": Code("trainee", "deadline", ("planning_meeting",)),
    "iup_revision": Code("trainee", "interval", ("iup_approved", "iup_revised")),
    "supervision": Code("trainee", "quota", ("supervision",)),
    "assessments": Code("trainee", "quota", ("assessment",)),
    "specialist_colloquium": Code("trainee", "quota", ("specialist_colloquium",)),
    "trainee_annual_report": Code("trainee", "quota", ("trainee_annual_report",)),
    "supervisor_statement": Code("trainee", "quota", ("supervisor_statement",)),
    "development_talk": Code("trainee", "quota", ("development_talk",)),
    "supervisor_followup": Code("trainee", "quota", ("supervisor_followup",)),
    "studierektor_followup": Code("trainee", "interval_or_quota", ("studierektor_followup",)),
    "supervision_evaluation": Code("trainee", "quota", ("supervision_evaluation",)),
    # An hour rate: written as [[rates]] (hours, per, phase), evaluated as a quota
    # of the supervision meetings' minutes.
    "supervision_hours": Code("trainee", "quota"),
    "rotation_supervisor": Code("trainee", "rotation"),
    "rotation_feedback": Code("trainee", "rotation"),
    "rotation_contact": Code("trainee", "rotation"),
    "external_inspection": Code("unit", "interval", ("external_inspection",)),
    "self_assessment": Code("unit", "interval", ("self_assessment",)),
    "supervisor_training": Code("supervisor", "interval", ("supervisor_training_basic",)),
    "supervisor_training_supplementary": Code(
        "supervisor",
        "interval",
        ("supervisor_training_basic", "supervisor_training_supplementary"),
    ),
}
