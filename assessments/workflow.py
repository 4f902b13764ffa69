"""Assessments: request → complete → sign → locked; single-use links for external assessors."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from assessments.models import Assessment, AssessmentToken
from regions import tenancy
from stprogram.changes import record_trainee_change
from stprogram.models import User
from stprogram.signing import sign
from stprogram.site import absolute
from trainees.models import Trainee

logger = logging.getLogger(__name__)
TOKEN_DAYS = 14
SELF_ASSESSMENT = _lazy("ST-läkaren kan inte vara bedömare i sin egen bedömning.")
LOCKED = Assessment.Status.SIGNED


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _audit(a: Assessment, by: User | None, action: str, **details: Any) -> None:
    # A link-completed assessment has no acting user; the requester stands in as
    # the row's actor, and the history names the external assessor from here.
    if by is None:
        details["assessor"] = a.assessor_name
    record_trainee_change(a.trainee, by or a.requested_by, action, a, **details)


@transaction.atomic
def assessment_request(
    *,
    trainee: Trainee,
    by: User,
    method: str,
    goal_codes: list[str],
    context: str = "",
    assessor: User | None = None,
    assessor_name: str = "",
    assessor_email: str = "",
    assessor_profession: str = "",
    parent: Assessment | None = None,
) -> tuple[Assessment, str | None]:
    """Ask a named assessor for an assessment; one without an account gets a link by e-mail.

    Returns the assessment and, for an external assessor, the raw link token. The
    token goes to the assessor's mailbox only: the requester (often the trainee) is
    never shown it, or they could fill in their own assessment.
    """
    if assessor is None and not (assessor_name and assessor_email):
        raise ValidationError(_("Ange bedömare: en användare eller namn och e-postadress."))
    _refuse_self_assessment(trainee, method, assessor, assessor_email)
    assessment = Assessment.objects.create(
        region=trainee.region,
        trainee=trainee,
        method=method,
        goal_codes=goal_codes,
        context=context,
        assessor=assessor,
        assessor_name=assessor_name,
        assessor_email=assessor_email.lower(),
        assessor_profession=assessor_profession,
        requested_by=by,
        parent=parent,
    )
    raw = None if assessor else _issue_token(assessment)
    _audit(assessment, by, "assessment_requested", method=method)
    return assessment, raw


def _refuse_self_assessment(
    trainee: Trainee, method: str, assessor: User | None, email: str
) -> None:
    # The 360° self-rating is the one form the trainee fills in about themselves.
    if method == Assessment.Method.RATER and assessor == trainee.user:
        return
    if assessor == trainee.user or email.strip().lower() == trainee.user.email.lower():
        raise ValidationError(SELF_ASSESSMENT)


@transaction.atomic
def assessment_link_resend(*, assessment: Assessment, by: User) -> str:
    """Send the external assessor a new link; the old one stops working at once."""
    if assessment.assessor_id or assessment.status != Assessment.Status.REQUESTED:
        raise ValidationError(_("Bara en begärd bedömning med extern bedömare har en länk."))
    AssessmentToken.objects.filter(assessment=assessment).delete()
    raw = _issue_token(assessment)
    _audit(assessment, by, "assessment_link_resent")
    return raw


def _issue_token(assessment: Assessment) -> str:
    raw = secrets.token_urlsafe(32)
    AssessmentToken.objects.create(
        assessment=assessment,
        token_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(days=TOKEN_DAYS),
    )
    link = absolute(reverse("assessment_links:token", kwargs={"token": raw}))
    transaction.on_commit(lambda: _mail_link(assessment.pk, link))
    return raw


def _mail_link(assessment_id: int, link: str) -> None:
    # The link lives only in this e-mail; a mail server that is down is logged, and
    # the requester sends a new link (which voids this one) from the assessment list.
    assessment = Assessment.unscoped.select_related("trainee__user").get(pk=assessment_id)
    try:
        link_message(assessment, link).send()
    except OSError:
        logger.warning("Could not send the assessment link for assessment %s", assessment_id)


def link_message(assessment: Assessment, link: str) -> EmailMultiAlternatives:
    """The Swedish e-mail (text and HTML) carrying an external assessor's single-use link."""
    with translation.override("sv"):
        name = assessment.trainee.user.get_full_name()
        context = {
            "assessment": assessment,
            "name": name,
            "method": assessment.get_method_display(),
            "days": TOKEN_DAYS,
            "link": link,
        }
        message = EmailMultiAlternatives(
            subject=_("Bedömning av %(name)s") % {"name": name},
            body=render_to_string("emails/assessment_link.txt", context),
            to=[assessment.assessor_email],
        )
        html = render_to_string("emails/assessment_link.html", context)
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def request_360(
    *, trainee: Trainee, by: User, raters: list[dict[str, str]], goal_codes: list[str]
) -> Assessment:
    """A 360° round: the trainee's chosen raters, a self-rating, compiled by the supervisor."""
    from assessments.instruments import validate_raters

    errors = validate_raters(raters)
    if errors:
        raise ValidationError(errors)
    parent, _raw = assessment_request(
        trainee=trainee,
        by=by,
        method="360",
        goal_codes=goal_codes,
        assessor=_main_supervisor(trainee),
    )
    for rater in raters:
        account = User.objects.filter(email=rater["email"].lower()).first()
        assessment_request(
            trainee=trainee,
            by=by,
            method="360-rater",
            goal_codes=goal_codes,
            parent=parent,
            assessor=account,
            assessor_name="" if account else rater["name"],
            assessor_email="" if account else rater["email"],
            assessor_profession=rater.get("profession", ""),
        )
    assessment_request(
        trainee=trainee,
        by=by,
        method="360-rater",
        goal_codes=goal_codes,
        parent=parent,
        assessor=trainee.user,
        assessor_profession="självskattning",
    )
    return parent


def _main_supervisor(trainee: Trainee) -> User:
    from trainees.selectors import active_assignments

    assignment = active_assignments().filter(trainee=trainee, role="main_supervisor").first()
    if assignment is None:
        raise ValidationError(_("ST-läkaren har ingen huvudhandledare som kan sammanställa."))
    return assignment.user


def token_assessment(raw: str) -> Assessment:
    """The assessment behind a link, if the link is unused and unexpired (else ValidationError)."""
    # The link names no region: finding its assessment is the one read that spans
    # regions; the caller narrows to the assessment's region for the rest.
    with tenancy.all_regions():
        token = (
            AssessmentToken.objects.select_related(
                "assessment__trainee__user", "assessment__region"
            )
            .filter(token_hash=_hash(raw))
            .first()
        )
    if token is None or token.used_at is not None:
        raise ValidationError(_("Länken är redan använd eller ogiltig."))
    if token.expires_at <= timezone.now():
        raise ValidationError(_("Länken har gått ut. Be ST-läkaren om en ny."))
    return token.assessment


@transaction.atomic
def assessment_complete(
    *, assessment: Assessment, data: dict[str, Any], by: User | None, token: str | None = None
) -> Assessment:
    """The assessor fills in the form; a link is used up by it, a signed record is locked."""
    locked = Assessment.unscoped.select_for_update().get(pk=assessment.pk)
    if locked.status == LOCKED:
        raise ValidationError(_("Bedömningen är undertecknad och kan inte ändras."))
    if is_the_trainee(locked, by) and locked.method != Assessment.Method.RATER:
        raise ValidationError(SELF_ASSESSMENT)
    if token is not None:
        used = AssessmentToken.objects.filter(
            assessment=locked,
            token_hash=_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(used_at=timezone.now())
        if used != 1:
            raise ValidationError(_("Länken är redan använd eller ogiltig."))
    locked.data = data
    locked.performed_on = date.fromisoformat(data["performed_on"])
    locked.status = Assessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.save(update_fields=["data", "performed_on", "status", "completed_at"])
    _audit(locked, by, "assessment_completed", via="link" if token else "account")
    return locked


def is_the_trainee(assessment: Assessment, user: User | AnonymousUser | None) -> bool:
    """Whether the user is the assessed trainee (who must not assess themselves)."""
    return bool(user and user.is_authenticated and user.pk == assessment.trainee.user_id)


def assessment_content(assessment: Assessment) -> dict[str, Any]:
    """What the signature covers."""
    return {
        "id": assessment.pk,
        "method": assessment.method,
        "trainee": assessment.trainee_id,
        "performed_on": str(assessment.performed_on),
        "data": assessment.data,
        "goals": assessment.goal_codes,
    }


def signers(assessment: Assessment) -> dict[str, set[int]]:
    """The assessor with an account signs; after a link, the main supervisor attests."""
    if assessment.assessor_id:
        return {"assessor": {assessment.assessor_id}}
    from trainees.services import party_holders

    return {"main_supervisor": party_holders(assessment.trainee)["main_supervisor"]}


@transaction.atomic
def assessment_sign(*, assessment: Assessment, user: User) -> Assessment:
    """Sign a completed assessment; from then on it is locked."""
    if assessment.status != Assessment.Status.COMPLETED:
        raise ValidationError(_("Bara en ifylld bedömning kan undertecknas."))
    allowed = signers(assessment)
    party = next(iter(allowed))
    sign(
        obj=assessment,
        content=assessment_content(assessment),
        user=user,
        party=party,
        region_slug=assessment.region.slug,
        allowed_parties=allowed,
        trainee_id=assessment.trainee_id,
    )
    Assessment.unscoped.filter(pk=assessment.pk).update(status=LOCKED)
    assessment.status = LOCKED
    return assessment
