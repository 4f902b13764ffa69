"""Writes about the region's people: a staff member's account and role."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.invitations import invitation_send
from regions.models import Membership, Region, Role, Unit
from stprogram.accounts import account_create
from stprogram.models import User

# Roles held at a unit, and roles held over the whole region.
UNIT_BOUND_ROLES = (Role.SUPERVISOR, Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT)
REGION_WIDE_ROLES = (Role.REGIONAL_STUDY_DIRECTOR, Role.REGIONAL_ADMIN)


@transaction.atomic
def staff_enrol(
    *,
    region: Region,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    unit: Unit | None,
) -> User:
    """Create a staff member's account with their role in the region, and invite them.

    As for trainees, the account is always new (`account_create` refuses an
    address already in use) and its owner chooses a password through the
    invitation.
    """
    if role not in (*UNIT_BOUND_ROLES, *REGION_WIDE_ROLES):
        raise ValidationError({"role": _("Välj en av rollerna i listan.")})
    if role in UNIT_BOUND_ROLES and unit is None:
        raise ValidationError({"unit": _("Rollen hör till en enhet: välj enheten.")})
    if role in REGION_WIDE_ROLES and unit is not None:
        raise ValidationError({"unit": _("Rollen gäller hela regionen: välj ingen enhet.")})
    user = account_create(email=email, first_name=first_name, last_name=last_name)
    Membership.unscoped.create(user=user, region=region, role=role, unit=unit)
    invitation_send(user=user, by=by, region_slug=region.slug)
    return user
