"""The cross-region rotation grant as a django-guardian object permission.

When the receiving unit accepts, the supervisor is given `supervise_rotation`
on the grant; it is taken away when the rotation is removed and, at the
latest, by the daily `rotation_grants_end` after the grant's last day.
Holding the permission is not enough: every check also asks that the grant be
accepted and dated to include today (`RotationAccessGrant.in_force`), so a
grant whose last day has passed gives nothing even before the task has run.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from regions import tenancy
from stprogram.models import User
from trainees.models import RotationAccessGrant

SUPERVISE_ROTATION = "trainees.supervise_rotation"


def grants_in_force(user: User, day: date, **filters: object) -> QuerySet[RotationAccessGrant]:
    """The user's grants that open today: permission held, accepted, and dated to include `day`.

    One query however many grants (the permission is a subquery), so a list page
    asks it once rather than once per row.
    """
    candidates = RotationAccessGrant.unscoped.filter(
        RotationAccessGrant.in_force(day), user=user, **filters
    )
    return get_objects_for_user(
        user,
        SUPERVISE_ROTATION,
        klass=candidates,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    )


def grant_permission_give(grant: RotationAccessGrant) -> None:
    """Give the grant's supervisor the object permission (on acceptance)."""
    assign_perm(SUPERVISE_ROTATION, grant.user, grant)


def grant_permission_take(grant: RotationAccessGrant) -> None:
    """Take the permission from whoever holds it on this grant (revoked, changed or ended)."""
    for user in User.objects.filter(pk__in=_holders(grant.pk)):
        remove_perm(SUPERVISE_ROTATION, user, grant)


def _holders(grant_pk: int) -> QuerySet[UserObjectPermission]:
    return UserObjectPermission.objects.filter(
        permission__codename="supervise_rotation",
        permission__content_type__app_label="trainees",
        object_pk=str(grant_pk),
    ).values("user_id")


@tenancy.all_regions()
def rotation_grants_end(today: date) -> int:
    """Take the permission off every grant that gives nothing any more; how many were taken.

    A grant past its last day, no longer accepted, deleted with its rotation, or
    now naming another supervisor: the permission must not outlive the grant.
    """
    live = RotationAccessGrant.unscoped.filter(
        status=RotationAccessGrant.Status.ACCEPTED, valid_until__gte=today
    ).values_list("pk", "user_id")
    keep = {(str(pk), user_id) for pk, user_id in live}
    stale = [
        row.pk
        for row in UserObjectPermission.objects.filter(
            permission__codename="supervise_rotation",
            permission__content_type__app_label="trainees",
        ).only("pk", "object_pk", "user_id")
        if (row.object_pk, row.user_id) not in keep
    ]
    UserObjectPermission.objects.filter(pk__in=stale).delete()
    return len(stale)
