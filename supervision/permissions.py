"""Who may write what in supervision; one door per object kind."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from regions.models import Membership, Role
from stprogram.models import User
from supervision.action_plans import participants
from supervision.models import ActionMeasure, ActionPlan, SupervisionMeeting
from supervision.yearly import YEARLY_FORMS, offered_in, yearly_form
from trainees import parties as p
from trainees.models import Trainee
from trainees.permissions import trainee_for
from trainees.selectors import active_assignments
from trainees.services import party_holders


def may_author_yearly(*, user: User, trainee: Trainee, kind: str) -> bool:
    """Only the party the source names for the kind, for this trainee's unit, writes it.

    A trainee's own "development talk" must not clear the head of unit's obligation.
    """
    if not offered_in(kind, trainee.region.slug):
        return False
    return user.pk in party_holders(trainee)[yearly_form(kind).author]


def yearly_kinds_for(*, user: User, trainee: Trainee) -> list[tuple[str, str]]:
    """(kind, label) of the yearly records the user may write for the trainee."""
    holders = party_holders(trainee)
    slug = trainee.region.slug
    return [
        (k, f.label)
        for k, f in YEARLY_FORMS.items()
        if user.pk in holders[f.author] and offered_in(k, slug)
    ]


def plannable_trainees(user: User, trainees: list[Trainee]) -> set[int]:
    """Of these trainees, the ids of those whose action plans the user draws up and follows up.

    Their main supervisor or study director (assigned, or of the home unit), as
    in `participants`: the one door for the plan pages and the links to them,
    answered for a whole risk list in two queries.
    """
    ids = [t.pk for t in trainees]
    assigned = active_assignments().filter(
        user=user, trainee_id__in=ids, role__in=(p.MAIN_SUPERVISOR, p.STUDY_DIRECTOR)
    )
    units = set(
        Membership.unscoped.filter(
            user=user, role=Role.STUDY_DIRECTOR, unit_id__in={t.home_unit_id for t in trainees}
        ).values_list("unit_id", flat=True)
    )
    by_unit = {t.pk for t in trainees if t.home_unit_id in units}
    return by_unit | set(assigned.values_list("trainee_id", flat=True))


def may_manage_action_plan(user: User, trainee: Trainee) -> bool:
    """The trainee's study director or main supervisor draws up, follows up and closes a plan."""
    return trainee.pk in plannable_trainees(user, [trainee])


def may_confirm_action_plan(user: User, plan: ActionPlan) -> bool:
    """Only a participant of the plan (trainee, main supervisor, study director, head) confirms."""
    return user.pk in set().union(*participants(plan.trainee).values())


def may_mark_measure_done(user: User, measure: ActionMeasure, *, manages: bool) -> bool:
    """A measure is marked done by its owner or by whoever manages the plan.

    `manages` is `may_manage_action_plan` for the plan's trainee, asked once per page.
    """
    return manages or measure.owner_id == user.pk


def action_plan_for(request: HttpRequest, pk: int, plan_pk: int) -> ActionPlan:
    """The single door to a plan: whoever may see the trainee may see it; others get 404."""
    trainee = trainee_for(request, pk)
    return get_object_or_404(
        ActionPlan.objects.select_related("trainee__region"), pk=plan_pk, trainee=trainee
    )


def meeting_to_confirm(user: User, meeting_pk: int) -> SupervisionMeeting:
    """The single door to confirming a meeting: only the trainee's main supervisor; 404 others."""
    main_of = active_assignments().filter(user=user, role=p.MAIN_SUPERVISOR)
    return get_object_or_404(
        SupervisionMeeting.objects.select_related("trainee"),
        pk=meeting_pk,
        trainee_id__in=main_of.values("trainee_id"),
    )
