"""Delegations: a study director's deputy for a period, through django-guardian.

The study director names a deputy, which of their units and the dates; the
deputy is given `regions.act_as_deputy` on the delegation at once, and for as
long as the delegation is in force (dated to include today, not ended early)
acts as study director of those units: `delegated_memberships` adds the role
to the deputy's roles in the region, so dashboards, lists and doors see what
they would for the study director. Ending a delegation takes the permission
away at once; the daily `delegations_end` takes it off those whose last day
has passed. Every change is in the audit history.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from regions import tenancy
from regions.models import Delegation, Membership, Region, Role, Unit
from stprogram.models import User
from stprogram.signing import audit

ACT_AS_DEPUTY = "regions.act_as_deputy"
# No deputy is needed for longer than a year; a longer one is standing access.
MAX_DAYS = 366


def delegations_in_force(user: User, day: date, **filters: object) -> QuerySet[Delegation]:
    """The user's delegations that count on `day`: permission held, dated, not ended.

    One query for all of them (the permission is a subquery of it).
    """
    candidates = Delegation.unscoped.filter(Delegation.in_force(day), deputy=user, **filters)
    return get_objects_for_user(
        user,
        ACT_AS_DEPUTY,
        klass=candidates,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    )


def delegated_memberships(user: User, region: Region) -> list[Membership]:
    """The roles the user holds today by delegation in the region, as (unsaved) memberships.

    One query; none of the rows is ever saved, they only join the request's roles.
    """
    delegations = delegations_in_force(user, timezone.localdate(), region=region)
    links = Delegation.units.through.objects.filter(delegation__in=delegations).select_related(
        "unit", "delegation"
    )
    return [
        Membership(user=user, region=region, role=link.delegation.role, unit=link.unit)
        for link in links
    ]


def delegable_units(user: User) -> QuerySet[Unit]:
    """The units of the region the user is study director of, and may therefore delegate."""
    mine = Membership.objects.filter(user=user, role=Role.STUDY_DIRECTOR, unit__isnull=False)
    return Unit.objects.filter(pk__in=mine.values("unit_id")).order_by("name")


@transaction.atomic
def delegation_create(
    *,
    region: Region,
    by: User,
    deputy: User,
    units: list[Unit],
    start: date,
    end: date,
    reason: str,
) -> Delegation:
    """A study director names a deputy for some of their own units and a period."""
    own = set(delegable_units(by).values_list("pk", flat=True))
    if not units or any(u.pk not in own for u in units):
        raise PermissionDenied
    _check(by=by, deputy=deputy, start=start, end=end, reason=reason)
    delegation = Delegation.objects.create(
        region=region, delegator=by, deputy=deputy, start=start, end=end, reason=reason.strip()
    )
    delegation.units.set(units)
    assign_perm(ACT_AS_DEPUTY, deputy, delegation)
    _audit(delegation, by, "delegation_created")
    return delegation


def _check(*, by: User, deputy: User, start: date, end: date, reason: str) -> None:
    if deputy.pk == by.pk:
        raise ValidationError(_("Välj någon annan än dig själv som ersättare."))
    if end < start:
        raise ValidationError(_("Slutdatum kan inte vara före startdatum."))
    if end < timezone.localdate():
        raise ValidationError(_("Perioden är redan slut. Välj ett slutdatum från och med i dag."))
    if (end - start).days > MAX_DAYS:
        raise ValidationError(_("En delegering kan gälla högst ett år."))
    if not reason.strip():
        raise ValidationError(_("Ange skälet till delegeringen."))


@transaction.atomic
def delegation_end(*, delegation: Delegation, by: User) -> Delegation:
    """End a delegation now: the deputy loses the role and the permission at once."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("Delegeringen är redan avslutad."))
    locked.ended_at, locked.ended_by = timezone.now(), by
    locked.save(update_fields=["ended_at", "ended_by"])
    remove_perm(ACT_AS_DEPUTY, locked.deputy, locked)
    _audit(locked, by, "delegation_ended")
    return locked


def _audit(delegation: Delegation, by: User, action: str) -> None:
    units = sorted(delegation.units.values_list("name", flat=True))
    audit(
        actor=by,
        region_slug=delegation.region.slug,
        trainee_id=None,
        action=action,
        obj=delegation,
        details={"deputy": delegation.deputy_id, "units": units, "reason": delegation.reason},
    )


@tenancy.all_regions()
def delegations_end(today: date) -> int:
    """Take the permission off delegations that no longer count; how many were taken."""
    live = Delegation.unscoped.filter(ended_at__isnull=True, end__gte=today)
    keep = {(str(pk), user_id) for pk, user_id in live.values_list("pk", "deputy_id")}
    stale = [
        row.pk
        for row in UserObjectPermission.objects.filter(
            permission__codename="act_as_deputy", permission__content_type__app_label="regions"
        ).only("pk", "object_pk", "user_id")
        if (row.object_pk, row.user_id) not in keep
    ]
    UserObjectPermission.objects.filter(pk__in=stale).delete()
    return len(stale)
