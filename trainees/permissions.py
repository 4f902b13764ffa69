"""Who may do what with a trainee's programme; one door per object kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from regions import tenancy
from regions.models import Membership, Role
from trainees.certificates.drafts import Draft, drafts_for, find
from trainees.grants import grants_in_force
from trainees.models import Rotation, RotationAccessGrant, Trainee
from trainees.parties import Parties
from trainees.selectors import active_assignments, get_trainee_for_user, responsible

if TYPE_CHECKING:
    from stprogram.models import User

EDITING_ASSIGNMENTS = ("main_supervisor", "study_director")
DECIDING_ROLES = (Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT)
# Who enrols trainees, hands out responsibilities and sends invitations.
ADMINISTERING_ROLES = (Role.REGIONAL_ADMIN,)
HISTORY_ROLES = {Role.STUDY_DIRECTOR, Role.REGIONAL_STUDY_DIRECTOR, Role.REGIONAL_ADMIN}
PACKET_STAFF_ASSIGNMENTS = ("main_supervisor", "study_director")
PACKET_UNIT_ROLES = (Role.HEAD_OF_UNIT, Role.STUDY_DIRECTOR)


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


def may_name_external_assessor(request: HttpRequest, trainee: Trainee) -> bool:
    """The trainee's main supervisor and study director name the BT's external assessor.

    The assessor is appointed by those responsible for the training, not
    chosen by the trainee: the trainee sees who it is but does not set it.
    """
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


def signing_parties(user: User, trainee: Trainee, parties: Parties) -> list[str]:
    """The parties of a contract or IUP the user holds for the trainee today."""
    # Imported here: the services ask this module who answers a rotation grant.
    from trainees.services import party_holders

    holders = party_holders(trainee)
    return [x for x in parties.all if user.pk in holders.get(x, set())]


def parties_left(mine: list[str], parties: Parties, status: dict[str, Any]) -> list[str]:
    """The viewer's parties whose place on the document (its `document_status`) is unsigned.

    The one door for the "Underteckna" link and the signing page: a party
    that has signed, or whose place another holder of it has taken, has
    nothing left to sign.
    """
    signed = {s.party for s in status.get("signatures", [])}
    open_places = {x for group in parties.groups if not signed & set(group) for x in group}
    return [x for x in mine if x in open_places]


def is_owner(request: HttpRequest, trainee: Trainee) -> bool:
    """Whether the viewer is the trainee themselves."""
    return trainee.user_id == request.user.pk


def may_see_external_assessor(request: HttpRequest, trainee: Trainee) -> bool:
    """Who sees the BT's external-assessor page: those who name the assessor, and the trainee."""
    return may_name_external_assessor(request, trainee) or is_owner(request, trainee)


def may_see_packets(request: HttpRequest, trainee: Trainee) -> bool:
    """Application packets and the readiness check: the trainee, their main supervisor and
    study director, and their unit's head and study director."""
    if is_owner(request, trainee):
        return True
    if any(
        m.role in PACKET_UNIT_ROLES and m.unit_id == trainee.home_unit_id
        for m in request.memberships
    ):
        return True
    return (
        active_assignments()
        .filter(trainee=trainee, user=request.user, role__in=PACKET_STAFF_ASSIGNMENTS)
        .exists()
    )


def may_see_draft(request: HttpRequest, trainee: Trainee, draft: Draft) -> bool:
    """A certificate draft: the trainee sees all of theirs; staff only the drafts naming them."""
    return is_owner(request, trainee) or request.user.pk in draft.named_user_ids


def draft_for(request: HttpRequest, pk: int, key: str) -> tuple[Trainee, Draft]:
    """The single door to one certificate draft: 404 unseen or unknown, 403 not named on it."""
    trainee = trainee_for(request, pk)
    draft = find(drafts_for(trainee), key)
    if draft is None:
        raise Http404
    if not may_see_draft(request, trainee, draft):
        raise PermissionDenied
    return trainee, draft


def active_grants(request: HttpRequest) -> list[int]:
    """Rotation ids the viewer may see today through a cross-region grant (one query)."""
    grants = grants_in_force(request.user, timezone.localdate(), region=request.region)
    return list(grants.values_list("rotation_id", flat=True))


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


# --- The receiving unit's answer to a cross-region rotation grant --------------------


def _deciding_units(user: User, region_id: int) -> tuple[list[int], bool]:
    """The units whose requests the user answers in the region, and whether region-wide."""
    # The user's own roles in the receiving region, also while the trainee's region is active.
    with tenancy.all_regions():
        roles = list(
            Membership.unscoped.filter(user=user, region_id=region_id).values_list(
                "role", "unit_id"
            )
        )
    units = [unit for role, unit in roles if role in DECIDING_ROLES and unit]
    return units, any(role == Role.REGIONAL_STUDY_DIRECTOR for role, _unit in roles)


def _deciding(user: User, region_id: int) -> Q:
    # The receiving unit's study director or head of unit answers; the regional
    # study director only when the supervisor belongs to no unit there.
    units, regional = _deciding_units(user, region_id)
    condition = Q(host_unit_id__in=units)
    if regional:
        condition |= Q(host_unit__isnull=True)
    return condition & Q(rotation__host_region_id=region_id)


def may_decide_grant(*, user: User, grant: RotationAccessGrant) -> bool:
    """Whether the user answers for the receiving unit of this grant."""
    units, regional = _deciding_units(user, grant.rotation.host_region_id)
    return grant.host_unit_id in units if grant.host_unit_id else regional


def _pending_for(request: HttpRequest) -> QuerySet[RotationAccessGrant]:
    return RotationAccessGrant.unscoped.filter(
        _deciding(request.user, request.region.pk),
        status=RotationAccessGrant.Status.PENDING,
    ).select_related("rotation__trainee__user", "rotation__region", "user", "host_unit")


def grants_to_decide(request: HttpRequest) -> list[RotationAccessGrant]:
    """Pending requests to the viewer's units in the URL's region, from any region.

    The grant rows belong to the trainee's region, so this read spans regions on
    purpose; the filter keeps it to requests naming a unit the viewer answers for.
    """
    with tenancy.all_regions():
        return list(_pending_for(request).order_by("valid_from", "pk"))


def grant_to_decide(request: HttpRequest, pk: int) -> RotationAccessGrant:
    """The single door to one pending request: 404 unless the viewer answers for it."""
    with tenancy.all_regions():
        return get_object_or_404(_pending_for(request), pk=pk)
