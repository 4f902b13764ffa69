"""Supervisor and study director qualifications, as the region's profile states them.

Supervisors: specialist (in the specialty the profile names), supervisor
training (Östergötland: from 2008), renewed where the profile has an interval.
Study directors: what [study_director_qualification] asks (Blekinge §1.4,
Norrbotten, Östergötland, Halland).

Warnings are shown and recorded, never blocking: a region may have reasons to
assign someone whose training is booked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Membership, Role
from regions.rules.engine import CODE_EVENTS
from regions.rules.profile import QualificationRule, load_profile
from stprogram.models import User
from stprogram.signing import audit
from supervision.models import SupervisorProfile, SupervisorTraining
from trainees.models import Trainee

# The supervisor-training codes of a profile and the course each is about.
_TRAINING_CODES = {
    "supervisor_training": "supervisor_training_basic",
    "supervisor_training_supplementary": "supervisor_training_supplementary",
}


def renewals(region_slug: str) -> dict[str, tuple[int, set[str], str]]:
    """Course kind -> (months, the courses that restart it, strength), from the profile.

    Norrbotten's "minst vart 10:e år" and "minst vart 3:e år" (must), and
    Östergötland's "exempelvis … var 5 år" (should, restarted by any course),
    are the profiles' supervisor rules; there is no second copy here.
    """
    result = {}
    for rule in load_profile(region_slug).rules:
        if rule.code in _TRAINING_CODES and rule.interval_months:
            courses = set(CODE_EVENTS[rule.code]) | set(rule.also_met_by)
            result[_TRAINING_CODES[rule.code]] = (rule.interval_months, courses, rule.strength)
    return result


@dataclass
class Qualification:
    problems: list[str] = field(default_factory=list)
    renewals: dict[str, date] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def qualification(
    user: User,
    specialty_id: int | None,
    region_slug: str,
    on: date | None = None,
    *,
    side: bool = False,
    in_bt: bool = False,
) -> Qualification:
    """Whether the user meets the supervisor requirements for a trainee of `specialty_id`.

    A side supervisor (`side`, at a rotation's unit) needs "relevant
    specialistkompetens" (Norrbotten, Sidohandledare): a paediatrician
    supervising a GP trainee's rotation is not "in another specialty". During
    BT (`in_bt`) a profile may let a trainee near the end of ST supervise
    (Jönköping).
    """
    profile = SupervisorProfile.objects.filter(user=user).select_related("specialty").first()
    trainings = list(SupervisorTraining.objects.filter(user=user).order_by("date"))
    on = on or timezone.localdate()
    return _assess(profile, trainings, specialty_id, region_slug, on, side=side, in_bt=in_bt)


def qualifications(
    people: list[tuple[int, int | None]], region_slug: str, on: date | None = None
) -> dict[tuple[int, int | None], Qualification]:
    """`qualification` for many (user id, specialty id) pairs in two queries."""
    user_ids = {user_id for user_id, _specialty in people}
    profiles = {
        p.user_id: p
        for p in SupervisorProfile.objects.filter(user_id__in=user_ids).select_related("specialty")
    }
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
    *,
    side: bool = False,
    in_bt: bool = False,
) -> Qualification:
    rule = load_profile(region_slug).supervisor_qualification
    result = Qualification()
    if side:
        rule = replace(rule, specialty="any") if rule else None
    if not (in_bt and rule is not None and not rule.specialist_in_bt):
        result.problems += _specialist_problems(profile, rule, specialty_id)
    result.problems += _course_problems(trainings, rule)
    expired = False
    for kind, (months, courses, strength) in renewals(region_slug).items():
        latest = max((t.date for t in trainings if t.kind in courses), default=None)
        if latest is not None:
            result.renewals[kind] = latest + relativedelta(months=months)
            # A "should" interval (Östergötland's "exempelvis") is shown, not a problem.
            expired |= strength == "must" and result.renewals[kind] < on
    if expired:
        result.problems.append(_("Handledarutbildningen behöver förnyas."))
    return result


def _specialist_problems(
    profile: SupervisorProfile | None, rule: QualificationRule | None, specialty_id: int | None
) -> list[str]:
    """Specialist competence, in the specialty the profile asks for (any, the trainee's, named)."""
    if profile is None or profile.specialist_since is None:
        return [_("Specialistkompetens är inte registrerad.")]
    wanted = rule.specialty if rule else "same"
    if wanted == "same" and specialty_id and profile.specialty_id != specialty_id:
        return [_("Specialist i en annan specialitet.")]
    if wanted not in ("same", "any"):
        name = profile.specialty.name if profile.specialty_id else ""
        if name.casefold() != wanted.casefold():
            return [_("Ska vara specialist i %(specialty)s.") % {"specialty": wanted}]
    return []


def _course_problems(
    trainings: list[SupervisorTraining], rule: QualificationRule | None
) -> list[str]:
    """A basic supervisor course, from the profile's earliest date (Östergötland: 2008)."""
    basics = [t for t in trainings if t.kind == "supervisor_training_basic"]
    if not basics:
        return [_("Handledarutbildning saknas.")]
    since = rule.basic_course_from if rule else None
    if since is not None and all(t.date < since for t in basics):
        return [
            _("Handledarutbildningen ska vara från %(date)s eller senare.")
            % {"date": since.isoformat()}
        ]
    return []


def study_director_qualifications(
    user_ids: set[int], region_slug: str
) -> dict[int, Qualification] | None:
    """Each study director's standing against the profile's [study_director_qualification].

    None where the region's sources set no requirement (Jönköping). Two queries.
    """
    rule = load_profile(region_slug).study_director_qualification
    if rule is None:
        return None
    profiles = {
        p.user_id: p
        for p in SupervisorProfile.objects.filter(user_id__in=user_ids).select_related("specialty")
    }
    kinds: dict[int, set[str]] = {}
    rows = SupervisorTraining.objects.filter(user_id__in=user_ids).values_list("user_id", "kind")
    for user_id, kind in rows:
        kinds.setdefault(user_id, set()).add(kind)
    return {
        user_id: _study_director(profiles.get(user_id), kinds.get(user_id, set()), rule)
        for user_id in user_ids
    }


def _study_director(
    profile: SupervisorProfile | None, kinds: set[str], rule: QualificationRule
) -> Qualification:
    result = Qualification()
    # A study director serves many specialties: "same" has nothing to compare with.
    result.problems += _specialist_problems(profile, rule, None)
    if rule.supervisor_training and "supervisor_training_basic" not in kinds:
        result.problems.append(_("Handledarutbildning saknas."))
    if rule.study_director_course and "study_director_course" not in kinds:
        result.problems.append(_("Studierektorsutbildning saknas."))
    return result


def conflict_of_interest(user: User, trainee: Trainee) -> str | None:
    """The head of the trainee's unit as supervisor, where the profile says to avoid it.

    Jönköping: "Verksamhetschef … bör undvikas som handledare"
    ([head_of_unit_as_supervisor] in its profile).
    """
    if load_profile(trainee.region.slug).head_of_unit_as_supervisor is None:
        return None
    heads = Membership.unscoped.filter(unit=trainee.home_unit, role=Role.HEAD_OF_UNIT, user=user)
    if heads.exists():
        return _("Verksamhetschefen bör undvikas som handledare (jäv).")
    return None


def warn_if_unqualified(
    *, user: User, trainee: Trainee, action: str, side: bool = False
) -> list[str]:
    """Check, record in the audit history, and return the warnings (empty when qualified)."""
    slug = trainee.region.slug
    in_bt = trainee.bt_end is not None and timezone.localdate() <= trainee.bt_end
    warnings = qualification(user, trainee.specialty_id, slug, side=side, in_bt=in_bt).problems
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
