"""Where each trainee obligation is done: the page a reminder or Min ST links to."""

from __future__ import annotations

from django.urls import reverse

# Where the thing to do is done, per code: (URL name, extra kwargs).
TRAINEE_PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "contract": ("trainees:contract", {}),
    "iup": ("trainees:iup", {}),
    "iup_bt": ("trainees:iup", {}),
    "planning_meeting": ("supervision:meetings", {}),
    "iup_revision": ("trainees:iup", {}),
    "supervision": ("supervision:meeting_new", {}),
    "supervision_hours": ("supervision:meeting_new", {}),
    "assessments": ("assessments:list", {}),
    "specialist_colloquium": ("assessments:list", {}),
    "trainee_annual_report": ("supervision:meetings", {}),
    "supervisor_statement": ("supervision:meetings", {}),
    "development_talk": ("supervision:meetings", {}),
    "supervisor_followup": ("supervision:meetings", {}),
    "studierektor_followup": ("supervision:meetings", {}),
    "supervision_evaluation": ("supervision:meetings", {}),
}


# Where someone who may only read the trainee's records goes instead of a form.
READ_PAGES: dict[str, tuple[str, dict[str, str]]] = {
    code: ("supervision:meetings", {})
    for code, (name, _extra) in TRAINEE_PAGES.items()
    if name == "supervision:meeting_new"
}


def obligation_page(code: str, *, may_edit: bool = True) -> tuple[str, dict[str, str]]:
    """(URL name, extra kwargs) of the page where `code` is done; the trainee's page otherwise.

    A viewer who may not change the records (`trainees.permissions.may_edit`)
    is sent where the thing is shown rather than to a form that refuses them.
    """
    if not may_edit and code in READ_PAGES:
        return READ_PAGES[code]
    return TRAINEE_PAGES.get(code, ("trainees:detail", {}))


def obligation_url(region_slug: str, trainee_id: int, code: str, *, may_edit: bool = True) -> str:
    """The address of the page where `code` is done for this trainee (or shown, read-only)."""
    name, extra = obligation_page(code, may_edit=may_edit)
    return reverse(name, kwargs={"region": region_slug, "pk": trainee_id, **extra})
