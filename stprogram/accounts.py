"""Accounts the product creates itself: the region (or the operator) vouches for the address.

Nobody signs up here; an account exists because a region enrolled the person
or an operator created it. Its address is therefore verified from the start,
and an address someone merely typed in (added on the e-mail page, not yet
confirmed by mail) never counts: it neither logs in nor blocks enrolment.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stprogram.models import User


def email_in_use(email: str) -> bool:
    """Whether an account already has this address (its own, or one it verified)."""
    email = email.lower()
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email=email, verified=True).exists()
    )


@transaction.atomic
def account_create(*, email: str, first_name: str, last_name: str) -> User:
    """Create an account for a person the region vouches for; never reuse an existing one.

    An existing account with the address may belong to someone else who
    claimed it, so attaching records to it would hand them over: the caller
    shows the collision instead.
    """
    if email_in_use(email):
        raise ValidationError(
            {
                "email": _(
                    "Det finns redan ett konto med e-postadressen %(email)s. Inskrivningen "
                    "kopplas aldrig till ett befintligt konto: kontrollera adressen eller "
                    "kontakta systemförvaltningen. Inget har sparats."
                )
                % {"email": email}
            }
        )
    return User.objects.create_user(email=email, first_name=first_name, last_name=last_name)


def email_address_vouch(*, user: User) -> None:
    """Record the account's own address as verified and primary.

    Others' unconfirmed claims to the same address are dropped: they were never
    proven, and the address now belongs to this account.
    """
    email = user.email.lower()
    EmailAddress.objects.filter(email=email, verified=False).exclude(user=user).delete()
    EmailAddress.objects.filter(user=user, primary=True).exclude(email=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
