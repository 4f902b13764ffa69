"""Who may do what with a trainee's programme; one door per object kind."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from regions.models import Role
from trainees.models import Rotation, RotationAccessGrant, Trainee
from trainees.selectors import active_assignments, get_trainee_for_user, responsible

EDITING_ASSIGNMENTS = ("main_supervisor", "study_director")
# Who enrols trainees, hands out responsibilities and sends invitations.
ADMINISTERING_ROLES = (Role.REGIONAL_ADMIN,)
HISTORY_ROLES = {Role.STUDY_DIRECTOR, Role.REGIONAL_STUDY_DIRECTOR, Role.REGIONAL_ADMIN}


def trainee_for(request: HttpRequest, pk: int) -> Trainee:
    """The trainee, if the viewer may see them; otherwise 404."""
    return get_trainee_for_user(request.user, request.memberships, pk)


def may_edit(request: HttpRequest, trainee: Trainee) -> bool:
    """The trainee, their main supervisor and study director, and regional administrators."""
    if trainee.user_id == request.user.pk or Role.REGIONAL_ADMIN in request.roles:
        return True
    if any(
        m.role == Role.STUDY_DIRECTOR and m.unit_id == trainee.home_unit_id
        for m in request.memberships
    ):
        return True
    return (
        active_assignments()
        .filter(trainee=trainee, user=request.user, role__in=EDITING_ASSIGNMENTS)
        .exists()
    )


def may_administer(request: HttpRequest) -> bool:
    """Whether the viewer enrols trainees and sends invitations in this region."""
    return bool(request.roles & set(ADMINISTERING_ROLES))


def may_see_history(request: HttpRequest, trainee: Trainee) -> bool:
    """The trainee, their main supervisor, study directors and the regional roles.

    The main supervisor revokes sign-offs and must be able to read back what
    was revoked; `trainee` comes from `trainee_for` (with its people).
    """
    if trainee.user_id == request.user.pk or request.roles & HISTORY_ROLES:
        return True
    return request.user in responsible(trainee, "main_supervisor")


def editable_trainee_for(request: HttpRequest, pk: int) -> Trainee:
    """The trainee, if the viewer may change their records: 404 if unseen, 403 if read-only."""
    trainee = trainee_for(request, pk)
    if not may_edit(request, trainee):
        raise PermissionDenied
    return trainee


def active_grants(request: HttpRequest) -> list[int]:
    """Rotation ids the viewer may see today through a cross-region grant."""
    today = timezone.localdate()
    return list(
        RotationAccessGrant.unscoped.filter(
            user=request.user,
            region=request.region,
            valid_from__lte=today,
            valid_until__gte=today,
        ).values_list("rotation_id", flat=True)
    )


def rotation_for(request: HttpRequest, trainee_pk: int, pk: int) -> tuple[Rotation, bool]:
    """The rotation and whether it was reached through a grant; 404 otherwise."""
    if request.memberships:
        trainee = trainee_for(request, trainee_pk)
        return get_object_or_404(Rotation, trainee=trainee, pk=pk), False
    if pk not in active_grants(request):
        raise Http404
    rotation = get_object_or_404(
        Rotation.objects.select_related("trainee__user"), trainee_id=trainee_pk, pk=pk
    )
    return rotation, True
