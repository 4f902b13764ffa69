"""Supervisor qualifications: specialist in the specialty, with supervisor training.

Warnings are shown and recorded, never blocking: a region may have reasons to
assign someone whose training is booked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Membership, Role
from stprogram.models import User
from stprogram.signing import audit
from supervision.models import SupervisorProfile, SupervisorTraining
from trainees.models import Trainee

# Norrbotten (001_6c26e9e13ad81653.txt Handledare): basic course at least every
# 10 years, supplementary training at least every 3 years.
RENEWAL = {
    "norrbotten": {"supervisor_training_basic": 120, "supervisor_training_supplementary": 36}
}
# Which courses restart each cycle: a basic course also counts as supplementary training.
RENEWED_BY = {
    "supervisor_training_basic": {"supervisor_training_basic"},
    "supervisor_training_supplementary": {
        "supervisor_training_basic",
        "supervisor_training_supplementary",
    },
}


@dataclass
class Qualification:
    problems: list[str] = field(default_factory=list)
    renewals: dict[str, date] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def qualification(
    user: User, specialty_id: int | None, region_slug: str, on: date | None = None
) -> Qualification:
    """Whether the user meets the supervisor requirements for a trainee of `specialty_id`."""
    profile = SupervisorProfile.objects.filter(user=user).first()
    trainings = list(SupervisorTraining.objects.filter(user=user).order_by("date"))
    return _assess(profile, trainings, specialty_id, region_slug, on or timezone.localdate())


def qualifications(
    people: list[tuple[int, int | None]], region_slug: str, on: date | None = None
) -> dict[tuple[int, int | None], Qualification]:
    """`qualification` for many (user id, specialty id) pairs in two queries."""
    user_ids = {user_id for user_id, _specialty in people}
    profiles = {p.user_id: p for p in SupervisorProfile.objects.filter(user_id__in=user_ids)}
    trainings: dict[int, list[SupervisorTraining]] = {}
    for t in SupervisorTraining.objects.filter(user_id__in=user_ids).order_by("date"):
        trainings.setdefault(t.user_id, []).append(t)
    on = on or timezone.localdate()
    return {
        (user_id, specialty_id): _assess(
            profiles.get(user_id), trainings.get(user_id, []), specialty_id, region_slug, on
        )
        for user_id, specialty_id in people
    }


def _assess(
    profile: SupervisorProfile | None,
    trainings: list[SupervisorTraining],
    specialty_id: int | None,
    region_slug: str,
    on: date,
) -> Qualification:
    result = Qualification()
    if profile is None or profile.specialist_since is None:
        result.problems.append(_("Specialistkompetens är inte registrerad."))
    elif specialty_id and profile.specialty_id != specialty_id:
        result.problems.append(_("Specialist i en annan specialitet."))
    if not any(t.kind == "supervisor_training_basic" for t in trainings):
        result.problems.append(_("Handledarutbildning saknas."))
    for kind, months in RENEWAL.get(region_slug, {}).items():
        latest = max((t.date for t in trainings if t.kind in RENEWED_BY[kind]), default=None)
        if latest is not None:
            result.renewals[kind] = latest + relativedelta(months=months)
    if any(due < on for due in result.renewals.values()):
        result.problems.append(_("Handledarutbildningen behöver förnyas."))
    return result


def conflict_of_interest(user: User, trainee: Trainee) -> str | None:
    """Jönköping (003_9a0985358a5453c7.txt Handledning under ST): head of unit as supervisor."""
    if trainee.region.slug != "jonkoping":
        return None
    heads = Membership.unscoped.filter(unit=trainee.home_unit, role=Role.HEAD_OF_UNIT, user=user)
    if heads.exists():
        return _("Verksamhetschefen bör undvikas som handledare (jäv).")
    return None


def warn_if_unqualified(*, user: User, trainee: Trainee, action: str) -> list[str]:
    """Check, record in the audit history, and return the warnings (empty when qualified)."""
    warnings = qualification(user, trainee.specialty_id, trainee.region.slug).problems
    conflict = conflict_of_interest(user, trainee)
    if conflict:
        warnings.append(conflict)
    if warnings:
        audit(
            actor=user,
            region_slug=trainee.region.slug,
            trainee_id=trainee.pk,
            action=f"warning_{action}",
            obj=trainee,
            details={"warnings": warnings},
        )
    return warnings
