"""Competence sign-off per goal: by the main supervisor, or the rotation's supervisor."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, GoalSignoff, counted_assessments
from assessments.permissions import may_revoke, rotation_goals
from stprogram.changes import record_trainee_change
from stprogram.models import User
from stprogram.signing import content_hash
from supervision.models import SupervisionMeeting
from supervision.qualifications import warn_if_unqualified
from trainees.models import Activity, Rotation, Trainee
from trainees.services import party_holders

EVIDENCE_KINDS = {
    "assessment": Assessment,
    "activity": Activity,
    "rotation": Rotation,
    "meeting": SupervisionMeeting,
}


@dataclass(frozen=True)
class Evidence:
    kind: str
    pk: int
    label: str


def evidence_for(trainee: Trainee, goal_code: str) -> list[Evidence]:
    """Records of the trainee that name the goal: assessments, activities, rotations, meetings."""
    items = []
    for a in Assessment.objects.filter(counted_assessments(), trainee=trainee):
        if goal_code in a.goal_codes and a.method != "360-rater":
            items.append(Evidence("assessment", a.pk, f"{a.get_method_display()} {a.performed_on}"))
    for act in Activity.objects.filter(trainee=trainee):
        if goal_code in act.goal_codes:
            items.append(Evidence("activity", act.pk, str(act)))
    for r in Rotation.objects.filter(trainee=trainee):
        if goal_code in r.goal_codes:
            items.append(Evidence("rotation", r.pk, str(r)))
    for m in SupervisionMeeting.objects.filter(trainee=trainee):
        if goal_code in m.goal_codes:
            items.append(Evidence("meeting", m.pk, _("Handledarsamtal %(d)s") % {"d": m.date}))
    return items


def signing_capacity(trainee: Trainee, goal_code: str, user: User) -> tuple[str, Rotation | None]:
    """In which capacity the user may sign the goal off, or ValidationError."""
    if user.pk in party_holders(trainee)["main_supervisor"]:
        return "main_supervisor", None
    today = timezone.localdate()
    for rotation in Rotation.objects.filter(trainee=trainee, local_supervisor=user):
        if goal_code in rotation_goals(rotation, user, today):
            return "rotation_supervisor", rotation
    raise ValidationError(_("Du kan inte intyga det här delmålet för ST-läkaren."))


@transaction.atomic
def signoff_create(
    *, trainee: Trainee, goal_code: str, by: User, evidence: list[str], comment: str = ""
) -> GoalSignoff:
    """Sign a goal off as achieved, pointing at the evidence (e.g. ["assessment:12"])."""
    party, rotation = signing_capacity(trainee, goal_code, by)
    valid = {f"{e.kind}:{e.pk}" for e in evidence_for(trainee, goal_code)}
    if not evidence or not set(evidence) <= valid:
        raise ValidationError(_("Välj minst ett underlag som hör till delmålet."))
    content = {
        "trainee": trainee.pk,
        "goal": goal_code,
        "evidence": sorted(evidence),
        "comment": comment,
        "by": by.pk,
    }
    try:
        with transaction.atomic():
            signoff = GoalSignoff.objects.create(
                region=trainee.region,
                trainee=trainee,
                goal_code=goal_code,
                signed_by=by,
                party=party,
                rotation=rotation,
                evidence=sorted(evidence),
                comment=comment,
                content_hash=content_hash(content),
            )
    except IntegrityError:
        raise ValidationError(_("Delmålet är redan intygat.")) from None
    # Signing a rotation's goals is the side supervisor's (any relevant specialty).
    warn_if_unqualified(user=by, trainee=trainee, action="signoff", side=rotation is not None)
    record_trainee_change(
        trainee,
        by,
        "goal_signed_off",
        signoff,
        goal=goal_code,
        evidence=sorted(evidence),
        party=party,
    )
    return signoff


@transaction.atomic
def signoff_revoke(*, signoff: GoalSignoff, by: User, reason: str) -> GoalSignoff:
    """Revoke a sign-off with a reason; the record stays in the history."""
    if not reason.strip():
        raise ValidationError(_("Ange skälet till återkallelsen."))
    if signoff.revoked_at is not None:
        raise ValidationError(_("Intyget är redan återkallat."))
    if not may_revoke(signoff=signoff, user=by):
        raise ValidationError(_("Bara huvudhandledaren eller den som intygade kan återkalla."))
    signoff.revoked_at, signoff.revoked_by, signoff.revoke_reason = timezone.now(), by, reason
    signoff.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record_trainee_change(
        signoff.trainee, by, "goal_signoff_revoked", signoff, goal=signoff.goal_code, reason=reason
    )
    return signoff
