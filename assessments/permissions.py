"""Who may see, sign and sign off what in assessments; one door per object kind.

Views and templates ask the same functions (templates through the
`assessment_doors` tag library), so a link is shown exactly when its page opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments import workflow
from assessments.models import Assessment, GoalSignoff
from stprogram.models import User
from trainees.grants import grants_in_force
from trainees.models import Rotation, Trainee
from trainees.permissions import active_grants, trainee_for
from trainees.selectors import trainees_visible_to
from trainees.services import GRANT_GRACE_DAYS, party_holders


def assessment_for(request: HttpRequest, pk: int, assessment_pk: int) -> Assessment:
    """The single door to an assessment: its assessor, or someone who may see the trainee.

    404 for everyone else, whether the assessment exists or not.
    """
    visible = trainees_visible_to(request.user, request.memberships).values("pk")
    queryset = Assessment.objects.select_related("trainee__user", "assessor").filter(
        Q(assessor=request.user) | Q(trainee__in=visible)
    )
    return get_object_or_404(queryset, pk=assessment_pk, trainee_id=pk)


def may_sign_assessment(user: User, assessment: Assessment) -> bool:
    """Whether the user is among the assessment's signers (assessor, or the main supervisor).

    Says nothing about the status: the sign page itself refuses an unfinished one.
    """
    return user.pk in set().union(*workflow.signers(assessment).values())


def may_sign_now(user: User, assessment: Assessment) -> bool:
    """Whether the "Underteckna" link is offered: a signer, and the assessment is filled in."""
    return assessment.status == Assessment.Status.COMPLETED and may_sign_assessment(
        user, assessment
    )


def signoff_trainee_for(request: HttpRequest, pk: int) -> Trainee:
    """The trainee for a sign-off: whoever may see them, or a supervisor of one of their rotations.

    In another region the rotation's supervisor comes in only through a grant in force today.
    """
    try:
        return trainee_for(request, pk)
    except Http404:
        rotations = Rotation.objects.filter(trainee_id=pk, local_supervisor=request.user)
        own_region = Q(host_region__isnull=True) | Q(host_region=F("region"))
        if not rotations.filter(own_region | Q(pk__in=active_grants(request))).exists():
            raise
        return Trainee.objects.select_related("region", "specialty").get(pk=pk)


@dataclass(frozen=True)
class GoalDoors:
    """Which of one trainee's goals a user may sign off or revoke.

    The one door for both the sign-off and revocation views and the progress
    page's links, worked out once per page instead of once per goal.
    """

    user_id: int
    main_supervisor: bool
    rotation_goals: frozenset[str]

    def may_sign(self, goal_code: str) -> bool:
        return self.main_supervisor or goal_code in self.rotation_goals

    def may_revoke(self, signoff: GoalSignoff) -> bool:
        return self.main_supervisor or signoff.signed_by_id == self.user_id


def goal_doors(trainee: Trainee, user: User) -> GoalDoors:
    """The user's sign-off and revocation rights over the trainee's goals, today."""
    today = timezone.localdate()
    rotations = Rotation.objects.filter(trainee=trainee, local_supervisor=user)
    return GoalDoors(
        user_id=user.pk,
        main_supervisor=user.pk in party_holders(trainee)["main_supervisor"],
        rotation_goals=frozenset(
            code for r in rotations for code in rotation_goals(r, user, today)
        ),
    )


def rotation_goals(rotation: Rotation, user: User, today: date) -> list[str]:
    """The goals the rotation's supervisor may sign off today.

    In another region only through the grant the receiving unit accepted, for the
    goals it named and within its dates; in the own region during the rotation + 30 days.
    """
    if rotation.host_region_id in (None, rotation.region_id):
        grace = rotation.end + timedelta(days=GRANT_GRACE_DAYS)
        return rotation.goal_codes if rotation.start <= today <= grace else []
    grant = grants_in_force(user, today, rotation=rotation).first()
    return grant.goal_codes if grant else []


def may_revoke(*, signoff: GoalSignoff, user: User) -> bool:
    """The trainee's main supervisor, or whoever signed the goal off."""
    return goal_doors(signoff.trainee, user).may_revoke(signoff)
