"""What the trainee's records say, gathered once per trainee in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from assessments.models import Assessment, GoalSignoff, counted_assessments
from assessments.selectors import goals_for
from regions.models import Membership, Role
from regions.rules.engine import Event, TraineeFacts, planned_end
from stprogram.models import User
from supervision.models import Assignment, SupervisorProfile, SupervisorTraining
from trainees.models import Absence, Activity, Rotation, Trainee
from trainees.selectors import active_assignments

BT_GOALS = tuple(f"BT{n}" for n in range(1, 19))


@dataclass(frozen=True)
class Person:
    """Someone named on a certificate; `user_id` is None for a name without an account."""

    name: str
    first: str = ""
    last: str = ""
    specialty: str = ""
    workplace: str = ""
    training_year: str = ""
    user_id: int | None = None


@dataclass
class Records:
    """One trainee's records, as the certificates need them."""

    trainee: Trainee
    today: date
    planned_end: date
    rotations: list[Rotation]
    activities: list[Activity]
    absences: list[Absence]
    assessments: list[Assessment]
    signoffs: dict[str, GoalSignoff]
    main_supervisor: User | None
    study_director: User | None
    head_of_unit: User | None
    curriculum_goals: list[str]
    profiles: dict[int, SupervisorProfile] = field(default_factory=dict)
    training_years: dict[int, int] = field(default_factory=dict)
    workplaces: dict[int, str] = field(default_factory=dict)

    def signed_by_record(self) -> dict[str, dict[str, GoalSignoff]]:
        """Per evidence key ("activity:12"), the active sign-offs that cite it, by goal."""
        result: dict[str, dict[str, GoalSignoff]] = defaultdict(dict)
        for signoff in self.signoffs.values():
            for key in signoff.evidence:
                result[key][signoff.goal_code] = signoff
        return result

    def person(self, user: User | None, workplace: str = "") -> Person | None:
        """A user as the forms name them: name, specialty, workplace.

        The workplace is where the user holds a role in the system; `workplace`
        is only the fallback for someone the system places nowhere (a
        supervisor at a rotation's clinic keeps her own unit).
        """
        if user is None:
            return None
        profile = self.profiles.get(user.pk)
        year = self.training_years.get(user.pk)
        return Person(
            name=user.get_full_name() or user.email,
            first=user.first_name,
            last=user.last_name,
            specialty=str(profile.specialty) if profile and profile.specialty_id else "",
            workplace=self.workplaces.get(user.pk) or workplace or self.home_workplace,
            training_year=str(year) if year else "",
            user_id=user.pk,
        )

    @property
    def home_workplace(self) -> str:
        """The home unit and region, as a workplace line."""
        return f"{self.trainee.home_unit.name}, {self.trainee.region.name}"


def load(trainee: Trainee, today: date) -> Records:
    """Everything the certificates draw on, for one trainee."""
    rotations = list(
        Rotation.objects.filter(trainee=trainee).select_related(
            "unit", "host_region", "local_supervisor"
        )
    )
    absences = list(Absence.objects.filter(trainee=trainee))
    signoffs = {
        s.goal_code: s
        for s in GoalSignoff.objects.filter(
            trainee=trainee, revoked_at__isnull=True
        ).select_related("signed_by")
    }
    assigned = {
        a.role: a.user
        for a in active_assignments()
        .filter(trainee=trainee)
        .select_related("user")
        .order_by("start_date")
    }
    head = (
        Membership.objects.filter(unit_id=trainee.home_unit_id, role=Role.HEAD_OF_UNIT)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    records = Records(
        trainee=trainee,
        today=today,
        planned_end=_planned_end(trainee, absences, today),
        rotations=rotations,
        activities=list(Activity.objects.filter(trainee=trainee)),
        absences=absences,
        assessments=list(
            Assessment.objects.filter(counted_assessments(), trainee=trainee)
            .exclude(method="360-rater")
            .order_by("performed_on", "pk")
        ),
        signoffs=signoffs,
        main_supervisor=assigned.get(Assignment.Role.MAIN_SUPERVISOR),
        study_director=assigned.get(Assignment.Role.STUDY_DIRECTOR),
        head_of_unit=head.user if head else None,
        curriculum_goals=list(
            goals_for(trainee.specialty, trainee.regulation).values_list("code", flat=True)
        ),
    )
    _load_people(records)
    return records


def _planned_end(trainee: Trainee, absences: list[Absence], today: date) -> date:
    facts = TraineeFacts(
        regulation=trainee.regulation,
        start=trainee.start_date,
        bt_end=trainee.bt_end,
        extent_percent=trainee.extent_percent,
        credited_months=trainee.credited_months,
    )
    events = tuple(Event(type="absence", start=a.start, end=a.end) for a in absences)
    return planned_end(facts, events, today)


def _load_people(records: Records) -> None:
    users = {
        u.pk
        for u in (records.main_supervisor, records.study_director, records.head_of_unit)
        if u is not None
    }
    users |= {s.signed_by_id for s in records.signoffs.values()}
    users |= {r.local_supervisor_id for r in records.rotations if r.local_supervisor_id}
    records.profiles = {
        p.user_id: p
        for p in SupervisorProfile.objects.filter(user_id__in=users).select_related("specialty")
    }
    for training in SupervisorTraining.objects.filter(
        user_id__in=users, kind=SupervisorTraining.Kind.BASIC
    ).order_by("date"):
        records.training_years.setdefault(training.user_id, training.date.year)
    region = records.trainee.region
    memberships = (
        Membership.objects.filter(
            user_id__in=users,
            unit__isnull=False,
            role__in=(Role.SUPERVISOR, Role.HEAD_OF_UNIT, Role.STUDY_DIRECTOR),
        )
        .select_related("unit")
        .order_by("pk")
    )
    for membership in memberships:
        records.workplaces.setdefault(membership.user_id, f"{membership.unit.name}, {region.name}")
    # The trainee's own unit is the right workplace for whoever holds a role there.
    for membership in memberships:
        if membership.unit_id == records.trainee.home_unit_id:
            records.workplaces[membership.user_id] = records.home_workplace
