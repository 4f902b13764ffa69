"""Changes to a unit's reviews. Each is one transaction and leaves a line in the audit history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import questionnaire
from inspections.models import (
    Finding,
    Inspection,
    InspectionMeasure,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from inspections.uploads import check_report, display_name
from regions.models import Unit
from stprogram.models import User
from stprogram.signing import audit


def _log(by: User, action: str, obj: Any, **details: Any) -> None:
    """A unit's review concerns no single trainee: the history line has no trainee."""
    audit(
        actor=by,
        region_slug=obj.region.slug,
        trainee_id=None,
        action=action,
        obj=obj,
        details=details,
    )


@transaction.atomic
def save_review(inspection: Inspection, by: User) -> Inspection:
    """Create or update a planned or performed review (the form has validated it)."""
    created = inspection.pk is None
    if created:
        inspection.created_by = by
        inspection.region = inspection.unit.region
    inspection.save()
    _log(
        by,
        "inspection_created" if created else "inspection_changed",
        inspection,
        planned_on=str(inspection.planned_on or ""),
        performed_on=str(inspection.performed_on or ""),
    )
    return inspection


@transaction.atomic
def attach_report(inspection: Inspection, upload: UploadedFile, by: User) -> None:
    """Store the report under a random name; the previous one is removed after the commit."""
    check_report(upload)
    previous = inspection.report.name if inspection.report else None
    name = display_name(upload.name)
    inspection.report.save("report.pdf", upload, save=False)
    stored = inspection.report.name
    inspection.report_name = name
    inspection.report_size = upload.size
    inspection.report_uploaded_at = timezone.now()
    inspection.report_uploaded_by = by
    try:
        inspection.save()
        _log(by, "inspection_report_uploaded", inspection, name=name, size=upload.size)
    except Exception:
        inspection.report.storage.delete(stored)
        raise
    storage = inspection.report.storage
    if previous:
        transaction.on_commit(lambda: storage.delete(previous))


@transaction.atomic
def add_finding(inspection: Inspection, finding: Finding, by: User) -> Finding:
    finding.inspection = inspection
    finding.region = inspection.region
    finding.save()
    _log(by, "inspection_finding_added", inspection, kind=finding.kind, area=finding.area)
    return finding


@transaction.atomic
def add_measure(inspection: Inspection, measure: InspectionMeasure, by: User) -> None:
    measure.inspection = inspection
    measure.region = inspection.region
    measure.save()
    if inspection.plan_approved_at:
        # A changed plan needs the head of unit's approval again.
        inspection.plan_approved_at = None
        inspection.plan_approved_by = None
        inspection.save(update_fields=["plan_approved_at", "plan_approved_by"])
    _log(by, "inspection_measure_added", inspection, due=str(measure.due))


@transaction.atomic
def measure_done(measure: InspectionMeasure, by: User, on: date) -> None:
    measure.done_on = on
    measure.save(update_fields=["done_on"])
    _log(by, "inspection_measure_done", measure.inspection, measure=measure.pk)


@transaction.atomic
def approve_plan(inspection: Inspection, by: User) -> None:
    inspection.plan_approved_at = timezone.now()
    inspection.plan_approved_by = by
    inspection.save(update_fields=["plan_approved_at", "plan_approved_by"])
    _log(by, "inspection_plan_approved", inspection)


@transaction.atomic
def save_follow_up(inspection: Inspection, by: User) -> None:
    """Store the follow-up date, or its outcome (the form has validated the fields)."""
    inspection.save(update_fields=["follow_up_due", "followed_up_on", "follow_up_notes"])
    _log(
        by,
        "inspection_follow_up",
        inspection,
        follow_up_due=str(inspection.follow_up_due or ""),
        followed_up_on=str(inspection.followed_up_on or ""),
    )


@transaction.atomic
def start_self_assessment(unit: Unit, by: User) -> SelfAssessment:
    """A new occasion, or the unit's unfinished one if there is one."""
    current = SelfAssessment.objects.filter(unit=unit, completed_on__isnull=True).first()
    if current:
        return current
    assessment = SelfAssessment.objects.create(
        region=unit.region, unit=unit, questionnaire=questionnaire.VERSION, started_by=by
    )
    _log(by, "self_assessment_started", assessment)
    return assessment


@transaction.atomic
def save_answers(
    assessment: SelfAssessment,
    answers: dict[str, dict[str, Any]],
    by: User,
    *,
    complete: bool,
    on: date,
) -> None:
    """Store every answer; when completing, record the self-assessment event for the engine."""
    existing = {a.question: a for a in assessment.answers.all()}
    for code, values in answers.items():
        answer = existing.get(code) or SelfAssessmentAnswer(
            region=assessment.region, assessment=assessment, question=code
        )
        answer.score = values.get("score")
        answer.comment = values.get("comment", "")
        answer.evidence = values.get("evidence", "")
        answer.save()
    if complete:
        assessment.inspection = Inspection.objects.create(
            region=assessment.region,
            unit=assessment.unit,
            kind=Inspection.Kind.SELF_ASSESSMENT,
            performed_on=on,
            ordering_body=_("Självvärdering i ST-programmet"),
            created_by=by,
        )
        assessment.completed_on = on
        assessment.completed_by = by
        assessment.save(update_fields=["inspection", "completed_on", "completed_by"])
    _log(by, "self_assessment_completed" if complete else "self_assessment_saved", assessment)
