"""The real run: the plan's writes, all in the caller's transaction, in bulk.

A thousand trainees with their staff is a few thousand rows; they are written
with one bulk statement per kind, the audit history with one more, and the
trainees' obligations stored in batches at the end, as the reminder scan does.
Nothing here opens a transaction: `regions.onboarding.services` runs it inside
one, so any failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from itertools import batched

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from obligations.facts import evaluate_trainees
from obligations.snapshot import store
from regions.models import Membership, Region, Unit
from regions.onboarding.models import OnboardingImport, OnboardingInvitation
from regions.onboarding.plan import PersonPlan, Plan, TraineePlan
from stprogram.models import AuditEvent, User
from supervision.models import Assignment
from trainees.models import Trainee

type Progress = Callable[[float], None]

BATCH = 500


@dataclass
class Written:
    units: int = 0
    people: int = 0
    trainees: int = 0
    invitations: int = 0


def write(
    plan: Plan, *, by: User, onboarding: OnboardingImport | None, progress: Progress
) -> dict[str, int]:
    """Write everything the plan holds (it has no refused row); report progress 0–1."""
    written, events = Written(), []
    _units(plan, events, written)
    progress(0.15)
    new_users = _people(plan, events, written)
    progress(0.35)
    trainees = _trainees(plan, by, events, written)
    progress(0.5)
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=by, region_slug=plan.region.slug, **e) for e in events],
        batch_size=BATCH,
    )
    written.invitations = _invitations(plan, new_users, by, onboarding)
    _obligations(trainees, lambda share: progress(0.5 + 0.5 * share))
    return asdict(written)


def _event(action: str, obj: object, trainee_id: int | None = None, **details: object) -> dict:
    return {
        "action": action,
        "object_repr": str(obj)[:200],
        "trainee_id": trainee_id,
        "details": {"onboarding": True, **details},
    }


def _units(plan: Plan, events: list[dict], written: Written) -> None:
    new = Unit.unscoped.bulk_create([p.unit for p in plan.units if p.new], batch_size=BATCH)
    events.extend(_event("unit_created", unit, code=unit.code) for unit in new)
    for unit_plan in (p for p in plan.units if not p.new):
        unit_plan.unit.save(update_fields=sorted(unit_plan.changed))
        events.append(_event("unit_changed", unit_plan.unit, fields=sorted(unit_plan.changed)))
    written.units = len(plan.units)


def _people(plan: Plan, events: list[dict], written: Written) -> list[User]:
    """New accounts (no password: the invitation sets one), renamed ones, and new roles."""
    new_people = [p for p in plan.people if p.new]
    users = User.objects.bulk_create([_account(p) for p in new_people], batch_size=BATCH)
    for person, user in zip(new_people, users, strict=True):
        person.user = user
    _vouch([p.email for p in new_people], users)
    changed = [p for p in plan.people if not p.new and p.changed]
    for person in changed:
        for name in person.changed:
            setattr(person.user, name, getattr(person, name) or None)
    fields = sorted({name for p in changed for name in p.changed})
    if changed:
        User.objects.bulk_update([p.user for p in changed], fields, batch_size=BATCH)
    Membership.unscoped.bulk_create(
        [
            Membership(user=p.user, region=plan.region, role=role, unit=unit.unit if unit else None)
            for p in plan.people
            for role, unit in p.new_roles
        ],
        batch_size=BATCH,
    )
    events.extend(_person_event(p) for p in plan.people)
    written.people = len(plan.people)
    return users


def _account(person: PersonPlan) -> User:
    return User(
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        hsa_id=person.hsa_id or None,
        password=make_password(None),
    )


def _vouch(emails: list[str], users: list[User]) -> None:
    # As `stprogram.accounts.email_address_vouch`, for many accounts at once: the
    # region vouches for the address, and others' unconfirmed claims to it go.
    EmailAddress.objects.filter(email__in=emails, verified=False).delete()
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )


def _person_event(person: PersonPlan) -> dict:
    roles = [
        f"{role}@{unit.unit.code or unit.unit.name}" if unit else role
        for role, unit in person.new_roles
    ]
    action = "person_created" if person.line else "person_changed"
    return _event(
        action, person.user, email=person.email, roles=roles, fields=sorted(person.changed)
    )


def _trainees(plan: Plan, by: User, events: list[dict], written: Written) -> list[Trainee]:
    new = [t for t in plan.trainees if t.trainee is None]
    created = Trainee.unscoped.bulk_create(
        [_trainee(plan.region, t) for t in new], batch_size=BATCH
    )
    for trainee_plan, trainee in zip(new, created, strict=True):
        trainee_plan.trainee = trainee
    changed = [t for t in plan.trainees if t not in new and t.changed]
    fields = sorted({name for t in changed for name in t.changed})
    if changed:
        Trainee.unscoped.bulk_update([t.trainee for t in changed], fields, batch_size=BATCH)
    _assignments(plan, set(map(id, new)))
    for t in plan.trainees:
        action = "enrolled" if t in new else "trainee_changed"
        events.append(_event(action, t.trainee, t.trainee.pk, fields=sorted(t.changed)))
    written.trainees = len(plan.trainees)
    return [t.trainee for t in plan.trainees]


def _trainee(region: Region, plan: TraineePlan) -> Trainee:
    return Trainee(region=region, user=plan.person.user, home_unit=plan.home.unit, **plan.fields)


def _assignments(plan: Plan, new_ids: set[int]) -> None:
    """New trainees' people from their start; a changed one ends the old row the day before."""
    today = timezone.localdate()
    ended, started = [], []
    for t in plan.trainees:
        for role, (holder, current) in t.assign.items():
            start = t.trainee.start_date if id(t) in new_ids else today
            if current is not None:
                start = max(start, current.start_date + timedelta(days=1))
                current.end_date = start - timedelta(days=1)
                ended.append(current)
            started.append(
                Assignment(
                    region=plan.region,
                    trainee=t.trainee,
                    user=holder.user,
                    role=role,
                    start_date=start,
                )
            )
    Assignment.unscoped.bulk_update(ended, ["end_date"], batch_size=BATCH)
    Assignment.unscoped.bulk_create(started, batch_size=BATCH)


def _invitations(
    plan: Plan, users: list[User], by: User, onboarding: OnboardingImport | None
) -> int:
    """Each new account is owed one invitation; the worker sends them in batches."""
    trainee_of = {t.person.user.pk: t.trainee.pk for t in plan.trainees}
    rows = [
        OnboardingInvitation(
            region=plan.region,
            user=user,
            trainee_id=trainee_of.get(user.pk),
            onboarding=onboarding,
            requested_by=by,
        )
        for user in users
    ]
    OnboardingInvitation.unscoped.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def _obligations(trainees: list[Trainee], progress: Progress) -> None:
    """Store the trainees' obligations, as `stprogram.signing.audit` does for one change."""
    on = timezone.localdate()
    ids = [t.pk for t in trainees]
    done = 0
    for chunk in batched(ids, BATCH):
        batch = list(
            Trainee.unscoped.filter(pk__in=chunk).select_related("region", "home_unit", "specialty")
        )
        store(batch, evaluate_trainees(batch, on), on)
        done += len(batch)
        progress(done / len(ids))
    if not ids:
        progress(1.0)
