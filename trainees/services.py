"""Writes to a trainee's programme: one function per use case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.invitations import invitation_send
from regions.models import Membership, Region, Role, Unit
from stprogram.accounts import account_create
from stprogram.changes import record_trainee_change as _audit
from stprogram.models import Signature, User
from stprogram.signing import is_signed, sign
from supervision.models import Assignment
from trainees import parties as p
from trainees.grants import grant_permission_give, grant_permission_take
from trainees.models import (
    Absence,
    Activity,
    Contract,
    ExternalAssessor,
    IupGoalPlan,
    IupPlannedItem,
    IupVersion,
    Rotation,
    RotationAccessGrant,
    Trainee,
)
from trainees.permissions import may_decide_grant
from trainees.selectors import supervisor_unit_id

if TYPE_CHECKING:
    from assessments.models import Specialty

GRANT_GRACE_DAYS = 30  # the receiving supervisor may sign off up to 30 days after the rotation
# No side rotation in the sources comes near two years; a longer one is a typo or an
# attempt at standing access (a 2020–2099 "rotation"), so no grant is made for it.
GRANT_MAX_MONTHS = 24


@transaction.atomic
def trainee_enrol(
    *,
    region: Region,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    home_unit: Unit,
    specialty: Specialty,
    regulation: str,
    start_date: date,
    bt_end: date | None,
    extent_percent: int,
    credited_months: int,
    track: str,
    main_supervisor: User,
    study_director: User,
    personnummer: str = "",
) -> Trainee:
    """Enrol a trainee: a new account, the role, the programme, the assignments.

    The account is always created here (see stprogram.accounts.account_create):
    an existing one with the address is refused, never reused. Its owner is
    sent an invitation (regions.invitations) to choose a password.
    """
    user = account_create(email=email, first_name=first_name, last_name=last_name)
    Membership.unscoped.create(user=user, region=region, role=Role.TRAINEE)
    trainee = Trainee(
        region=region,
        user=user,
        home_unit=home_unit,
        specialty=specialty,
        regulation=regulation,
        start_date=start_date,
        bt_end=bt_end,
        extent_percent=extent_percent,
        credited_months=credited_months,
        track=track,
        personnummer=personnummer,
    )
    trainee.full_clean()
    trainee.save()
    for person, role in ((main_supervisor, "main_supervisor"), (study_director, "study_director")):
        Assignment.unscoped.create(
            region=region, trainee=trainee, user=person, role=role, start_date=start_date
        )
    _audit(trainee, by, "enrolled", trainee)
    invitation_send(user=user, by=by, region_slug=region.slug, trainee_id=trainee.pk)
    return trainee


@transaction.atomic
def assignment_change(
    *, trainee: Trainee, role: str, user: User, start: date, by: User
) -> Assignment:
    """Hand a responsibility to someone from `start`, ending (not editing) the previous row."""
    current = Assignment.unscoped.filter(trainee=trainee, role=role, end_date__isnull=True)
    for old in current:
        if old.user_id == user.pk:
            raise ValidationError(_("Personen har redan den rollen."))
        if start <= old.start_date:
            raise ValidationError(
                _("Det nya datumet måste vara efter föregående tilldelnings start.")
            )
        old.end_date = start - timedelta(days=1)
        old.save(update_fields=["end_date"])
    new = Assignment.unscoped.create(
        region=trainee.region, trainee=trainee, user=user, role=role, start_date=start
    )
    _audit(trainee, by, "assigned", new, role=role, user=user.email)
    return new


def party_holders(trainee: Trainee) -> dict[str, set[int]]:
    """Who may sign for the trainee in each capacity, today."""
    from trainees.selectors import active_assignments

    assigned = active_assignments().filter(trainee=trainee).values_list("role", "user_id")
    holders: dict[str, set[int]] = {
        p.TRAINEE: {trainee.user_id},
        p.MAIN_SUPERVISOR: set(),
        p.STUDY_DIRECTOR: set(),
        p.HEAD_OF_UNIT: set(),
    }
    for role, user_id in assigned:
        if role in holders:
            holders[role].add(user_id)
    unit_roles = Membership.unscoped.filter(
        unit_id=trainee.home_unit_id, role__in=(Role.HEAD_OF_UNIT, Role.STUDY_DIRECTOR)
    ).values_list("role", "user_id")
    for role, user_id in unit_roles:
        holders[role].add(user_id)
    return holders


# --- ST contract ----------------------------------------------------------------


def contract_content(contract: Contract) -> dict[str, Any]:
    """What a contract signature covers."""
    return {
        "trainee": contract.trainee_id,
        "kind": contract.kind,
        "version": contract.version,
        "terms": contract.terms,
    }


@transaction.atomic
def contract_create(*, trainee: Trainee, kind: str, terms: str, reason: str, by: User) -> Contract:
    """Write a new contract version (the first, or a correction of a signed one)."""
    latest = Contract.objects.filter(trainee=trainee, kind=kind).aggregate(v=Max("version"))["v"]
    if latest and not reason.strip():
        raise ValidationError(_("Ange varför kontraktet ändras."))
    contract = Contract.objects.create(
        region=trainee.region,
        trainee=trainee,
        kind=kind,
        version=(latest or 0) + 1,
        terms=terms,
        change_reason=reason,
        created_by=by,
    )
    _audit(trainee, by, "contract_created", contract, version=contract.version)
    return contract


def contract_update(*, contract: Contract, terms: str, by: User) -> Contract:
    """Edit an unsigned contract; a signed one is locked (make a new version instead)."""
    if is_signed(contract):
        raise ValidationError(
            _("Kontraktet är undertecknat och kan inte ändras. Skapa en ny version.")
        )
    contract.terms = terms
    contract.save(update_fields=["terms"])
    _audit(contract.trainee, by, "contract_edited", contract)
    return contract


def contract_sign(*, contract: Contract, user: User, party: str) -> Signature:
    """Sign the contract as one of its parties."""
    trainee = contract.trainee
    return sign(
        obj=contract,
        content=contract_content(contract),
        user=user,
        party=party,
        region_slug=trainee.region.slug,
        trainee_id=trainee.pk,
        allowed_parties=_allowed(p.CONTRACT_PARTIES[trainee.region.slug], trainee),
    )


def _allowed(parties: p.Parties, trainee: Trainee) -> dict[str, set[int]]:
    holders = party_holders(trainee)
    return {party: holders.get(party, set()) for party in parties.all}


# --- IUP ----------------------------------------------------------------------------


def iup_content(iup: IupVersion) -> dict[str, Any]:
    """What an IUP approval covers: every field and row of the version."""
    return {
        "trainee": iup.trainee_id,
        "phase": iup.phase,
        "version": iup.version,
        "texts": [iup.service_plan_note, iup.scientific_work, iup.quality_work, iup.self_study],
        "goals": [[g.goal_code, g.activities, g.assessment] for g in iup.goal_plans.all()],
        "planned": [
            [i.kind, i.title, str(i.start), str(i.end), i.goal_codes]
            for i in iup.planned_items.all()
        ],
    }


@transaction.atomic
def iup_save(
    *,
    trainee: Trainee,
    phase: str,
    by: User,
    texts: dict[str, str],
    goal_plans: list[dict[str, str]],
    planned: list[dict[str, Any]],
    change_summary: str,
) -> IupVersion:
    """Save the IUP: edit the draft in place, or start a new version if the latest is signed."""
    latest = IupVersion.objects.filter(trainee=trainee, phase=phase).order_by("-version").first()
    if latest is not None and not is_signed(latest):
        iup = latest
        iup.goal_plans.all().delete()
        iup.planned_items.all().delete()
    else:
        if latest is not None and not change_summary.strip():
            raise ValidationError(_("Beskriv vad som ändrats i den nya versionen."))
        iup = IupVersion(
            region=trainee.region,
            trainee=trainee,
            phase=phase,
            created_by=by,
            version=(latest.version + 1) if latest else 1,
        )
    for field in ("service_plan_note", "scientific_work", "quality_work", "self_study"):
        setattr(iup, field, texts.get(field, ""))
    iup.change_summary = change_summary
    iup.save()
    IupGoalPlan.objects.bulk_create(IupGoalPlan(iup=iup, **g) for g in goal_plans)
    IupPlannedItem.objects.bulk_create(IupPlannedItem(iup=iup, **i) for i in planned)
    _audit(trainee, by, "iup_saved", iup, version=iup.version)
    return iup


def iup_sign(*, iup: IupVersion, user: User, party: str) -> Signature:
    """Sign or approve an IUP version as one of the region's IUP parties."""
    trainee = iup.trainee
    return sign(
        obj=iup,
        content=iup_content(iup),
        user=user,
        party=party,
        region_slug=trainee.region.slug,
        trainee_id=trainee.pk,
        allowed_parties=_allowed(p.IUP_PARTIES[trainee.region.slug], trainee),
    )


# --- Rotations, activities, absence ----------------------------------------------


def _check_span(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(_("Slutdatum kan inte vara före startdatum."))


@transaction.atomic
def rotation_record(*, trainee: Trainee, by: User, data: dict[str, Any]) -> Rotation:
    """Record a rotation; a named supervisor in another region gets a dated access grant."""
    _check_span(data["start"], data["end"])
    rotation = Rotation(region=trainee.region, trainee=trainee, created_by=by, **data)
    rotation.full_clean()
    rotation.save()
    _grant_for(rotation)
    _audit(trainee, by, "rotation_recorded", rotation)
    return rotation


def _grant_for(rotation: Rotation) -> None:
    """Ask the receiving unit to let the named supervisor of another region in.

    The request gives nothing until the receiving unit accepts it, and covers the
    rotation's dates (+ grace) and goals only.
    """
    supervisor = rotation.local_supervisor
    for earlier in RotationAccessGrant.unscoped.filter(rotation=rotation):
        # A changed request starts over: nothing the earlier answer gave survives it.
        grant_permission_take(earlier)
    if supervisor is None or rotation.host_region_id in (None, rotation.region_id):
        RotationAccessGrant.unscoped.filter(rotation=rotation).delete()
        return
    _check_grant_span(rotation)
    host_unit = supervisor_unit_id(supervisor, rotation.host_region_id)
    RotationAccessGrant.unscoped.update_or_create(
        rotation=rotation,
        defaults={
            "region": rotation.region,
            "user": supervisor,
            "valid_from": rotation.start,
            "valid_until": rotation.end + timedelta(days=GRANT_GRACE_DAYS),
            "status": RotationAccessGrant.Status.PENDING,
            "host_unit_id": host_unit,
            "goal_codes": list(rotation.goal_codes),
            "decided_by": None,
            "decided_at": None,
        },
    )


def _check_grant_span(rotation: Rotation) -> None:
    if rotation.end < timezone.localdate():
        raise ValidationError(
            _(
                "Placeringen är redan avslutad, så en handledare i en annan region kan inte få "
                "åtkomst till den. Skriv handledarens namn i stället för e-postadressen."
            )
        )
    if rotation.end > rotation.start + relativedelta(months=GRANT_MAX_MONTHS):
        raise ValidationError(
            _(
                "En placering med handledare i en annan region kan vara högst %(months)d "
                "månader. Kontrollera datumen eller dela upp placeringen."
            )
            % {"months": GRANT_MAX_MONTHS}
        )


@transaction.atomic
def rotation_grant_decide(*, grant: RotationAccessGrant, by: User, accept: bool) -> None:
    """The receiving unit accepts or declines a supervisor's access to a rotation."""
    if not may_decide_grant(user=by, grant=grant):
        raise PermissionDenied
    locked = RotationAccessGrant.unscoped.select_for_update().get(pk=grant.pk)
    if locked.status != RotationAccessGrant.Status.PENDING:
        raise ValidationError(_("Förfrågan är redan besvarad."))
    if accept and locked.valid_until < timezone.localdate():
        raise ValidationError(_("Placeringen är redan avslutad och kan inte godkännas."))
    locked.status = (
        RotationAccessGrant.Status.ACCEPTED if accept else RotationAccessGrant.Status.DECLINED
    )
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        grant_permission_give(locked)
    action = "rotation_grant_accepted" if accept else "rotation_grant_declined"
    _audit(grant.rotation.trainee, by, action, locked, supervisor=locked.user_id)


def activity_record(*, trainee: Trainee, by: User, data: dict[str, Any]) -> Activity:
    """Record a course, auskultation, scientific work or quality-improvement work."""
    _check_span(data["start"], data["end"])
    activity = Activity(region=trainee.region, trainee=trainee, created_by=by, **data)
    activity.full_clean()
    activity.save()
    _audit(trainee, by, "activity_recorded", activity)
    return activity


def absence_record(
    *, trainee: Trainee, by: User, kind: str, start: date, end: date, note: str = ""
) -> Absence:
    """Record leave; it may not overlap another absence (days would count twice)."""
    _check_span(start, end)
    overlapping = Absence.objects.filter(trainee=trainee, start__lte=end, end__gte=start)
    if overlapping.exists():
        raise ValidationError(_("Frånvaron överlappar en redan registrerad frånvaro."))
    absence = Absence.objects.create(
        region=trainee.region,
        trainee=trainee,
        created_by=by,
        kind=kind,
        start=start,
        end=end,
        note=note,
    )
    _audit(trainee, by, "absence_recorded", absence)
    return absence


@transaction.atomic
def external_assessor_record(
    *, trainee: Trainee, by: User, name: str, profession: str, workplace: str, email: str = ""
) -> ExternalAssessor:
    """Name the BT's external assessor (HSLF-FS 2021:8 bilaga 4); the latest recording counts."""
    if not trainee.bt_end:
        raise ValidationError(_("ST-läkaren gör ingen BT och har ingen extern bedömare."))
    assessor = ExternalAssessor(
        region=trainee.region,
        trainee=trainee,
        created_by=by,
        name=name,
        profession=profession,
        workplace=workplace,
        email=email,
    )
    assessor.full_clean()
    assessor.save()
    _audit(trainee, by, "external_assessor_recorded", assessor, name=name)
    return assessor


def record_delete(*, record: Rotation | Activity | Absence, by: User) -> None:
    """Remove a mistaken record (kept in the audit history)."""
    _audit(record.trainee, by, "deleted", record, kind=record._meta.model_name)
    if isinstance(record, Rotation):
        # The grant goes with the rotation; its permission must not outlive it.
        for grant in RotationAccessGrant.unscoped.filter(rotation=record):
            grant_permission_take(grant)
    record.delete()
