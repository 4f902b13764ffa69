"""Signing records: a content hash, one signature per party, locked once signed."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from allauth.account.decorators import reauthentication_required
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from stprogram.models import AuditEvent, Signature

if TYPE_CHECKING:
    from stprogram.models import User

# The parties a signature is made in (`Signature.party`); which of them must
# sign which document is regional (`trainees.parties`).
TRAINEE = "trainee"
MAIN_SUPERVISOR = "main_supervisor"
STUDY_DIRECTOR = "study_director"
HEAD_OF_UNIT = "head_of_unit"

PARTY_LABELS = {
    TRAINEE: _lazy("ST-läkare"),
    MAIN_SUPERVISOR: _lazy("Huvudhandledare"),
    STUDY_DIRECTOR: _lazy("Studierektor"),
    HEAD_OF_UNIT: _lazy("Verksamhetschef"),
}


def require_fresh_login(request: HttpRequest) -> None:
    """Ask for the password (or MFA) again unless the user just re-authenticated.

    Called after the access checks, so an outsider gets 404, not a login page.
    allauth's middleware turns the exception into a redirect and comes back.
    """
    reauthentication_required(lambda _request: None)(request)


class SigningError(Exception):
    """A signature that must not be made; the message is for the user (Swedish)."""


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of what is signed."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signatures_of(obj: models.Model) -> list[Signature]:
    """The signatures made on one record, oldest first."""
    ct = ContentType.objects.get_for_model(obj)
    return list(Signature.objects.filter(content_type=ct, object_id=obj.pk).select_related("user"))


def is_signed(obj: models.Model) -> bool:
    """Whether anyone has signed the record (which then may no longer change)."""
    ct = ContentType.objects.get_for_model(obj)
    return Signature.objects.filter(content_type=ct, object_id=obj.pk).exists()


@transaction.atomic
def sign(
    *,
    obj: models.Model,
    content: dict[str, Any],
    user: User,
    party: str,
    region_slug: str,
    allowed_parties: dict[str, set[int]],
    trainee_id: int | None,
) -> Signature:
    """Sign `obj` as `party` if `user` holds that party's place and has not signed it yet.

    `allowed_parties` maps each party that must sign to the ids of the users
    who may sign in that capacity.
    """
    if party not in allowed_parties:
        # Never echo what was posted: it came from outside the form's choices.
        raise SigningError(_("Välj en av de parter som ska skriva under."))
    if user.pk not in allowed_parties[party]:
        label = str(PARTY_LABELS.get(party, party)).lower()
        raise SigningError(_("Du är inte part i egenskap av %(party)s.") % {"party": label})
    digest = content_hash(content)
    earlier = signatures_of(obj)
    if any(s.content_hash != digest for s in earlier):
        raise SigningError(_("Innehållet har ändrats sedan det undertecknades."))
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                region_slug=region_slug,
                user=user,
                party=party,
                content_hash=digest,
            )
    except IntegrityError:
        raise SigningError(_("Den här parten har redan undertecknat.")) from None
    _record_signature(user, region_slug, trainee_id, obj, {"party": party, "hash": digest})
    return signature


def _record_signature(
    user: User, region_slug: str, trainee_id: int | None, obj: object, details: dict[str, Any]
) -> None:
    """The audit line; a signature on a trainee's record is a change to their records."""
    if trainee_id is None:
        audit(
            actor=user,
            region_slug=region_slug,
            trainee_id=None,
            action="signed",
            obj=obj,
            details=details,
        )
        return
    from stprogram.changes import record_change

    record_change(
        actor=user,
        region_slug=region_slug,
        trainee_id=trainee_id,
        action="signed",
        obj=obj,
        details=details,
    )


def audit(
    *,
    actor: User,
    region_slug: str,
    trainee_id: int | None,
    action: str,
    obj: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one line of the audit history, and nothing else.

    A change to a trainee's records goes through `stprogram.changes.record_change`,
    which writes this line and also refreshes what is derived from the records.
    """
    return AuditEvent.objects.create(
        actor=actor,
        region_slug=region_slug,
        trainee_id=trainee_id,
        action=action,
        object_repr=str(obj)[:200],
        details=details or {},
    )
