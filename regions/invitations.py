"""Invitations: how the owner of a new account gets in.

An account is created by the region (enrolment), never by its owner, so it
starts without a password. Its owner gets a single-use link, valid
`STPROGRAM_INVITATION_DAYS`, to set one; only the link's hash is stored. Where
the region logs in through its identity provider (OIDC configured), the
invitation instead says to log in with the SITHS card. Each send and each use
is written to the audit history.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regions import tenancy
from stprogram.models import Invitation, User
from stprogram.signing import audit
from stprogram.site import absolute

logger = logging.getLogger(__name__)


def uses_identity_provider() -> bool:
    """Whether people log in through the region's identity provider rather than a password."""
    return bool(settings.OIDC_SERVER_URL)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invitation_send(
    *, user: User, by: User, region_slug: str, trainee_id: int | None = None
) -> Invitation | None:
    """Send the account's owner the way in, voiding any earlier link; logged.

    Returns the new invitation, or None where the region's identity provider
    is the way in (no password to set, so no link).
    """
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    invitation, link = None, None
    if not uses_identity_provider():
        raw = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            user=user,
            token_hash=_hash(raw),
            region_slug=region_slug,
            trainee_id=trainee_id,
            sent_by=by,
            expires_at=now + timedelta(days=settings.STPROGRAM_INVITATION_DAYS),
        )
        link = absolute(reverse("invitation", kwargs={"token": raw}))
    audit(
        actor=by,
        region_slug=region_slug,
        trainee_id=trainee_id,
        action="invitation_sent",
        obj=user,
        details={"email": user.email, "identity_provider": link is None},
    )
    transaction.on_commit(lambda: _mail(user.pk, link))
    return invitation


def _mail(user_id: int, link: str | None) -> None:
    # The administrator can send a new invitation, so a mail server that is
    # down delays the account's first login but loses nothing; it is logged.
    user = User.objects.get(pk=user_id)
    with translation.override("sv"):
        context = {
            "user": user,
            "link": link,
            "days": settings.STPROGRAM_INVITATION_DAYS,
            "login_link": absolute(reverse("account_login")),
        }
        message = EmailMultiAlternatives(
            subject=_("Välkommen till ST-programmet"),
            body=render_to_string("emails/invitation.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    try:
        message.send()
    except OSError:
        logger.warning("Could not send the invitation to user %s", user_id)


def invitation_for(raw: str) -> Invitation:
    """The invitation behind a link, if it can still be used; ValidationError otherwise."""
    # The link names no region: finding it is the one read that spans regions
    # (as for the assessor's link); the caller narrows to its region to use it.
    with tenancy.all_regions():
        invitation = Invitation.objects.filter(token_hash=_hash(raw)).select_related("user").first()
    if invitation is None or invitation.voided_at is not None:
        raise ValidationError(_("Länken gäller inte. Be regionens administratör om en ny."))
    if invitation.used_at is not None:
        raise ValidationError(_("Länken är redan använd. Logga in med ditt lösenord."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("Länken har gått ut. Be regionens administratör om en ny."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the account's password through the link, which is then spent; logged."""
    now = timezone.now()
    # Claimed with a conditional update: two tabs posting at once set it once.
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        raise ValidationError(_("Länken är redan använd eller har gått ut."))
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(
        actor=user,
        region_slug=invitation.region_slug,
        trainee_id=invitation.trainee_id,
        action="invitation_used",
        obj=user,
        details={"email": user.email},
    )
    return user


def latest_invitation(user: User) -> Invitation | None:
    """The account's most recent invitation, for the administrator's view of it."""
    return Invitation.objects.filter(user=user).order_by("-sent_at", "-pk").first()
