"""Action plans for trainees at risk: create, follow up, confirm, close.

Required where the region's profile says so ([action_plan]); offered everywhere. The
participants (trainee, main supervisor, study director, head of unit) confirm
the plan's content; marking a measure done or recording the outcome does not
change what they confirmed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from regions.rules.profile import all_profiles
from stprogram.changes import record_trainee_change
from stprogram.models import Signature, User
from stprogram.signing import sign
from supervision.models import ActionMeasure, ActionPlan
from trainees.models import Trainee
from trainees.services import party_holders

# Regions whose guideline requires a plan: the profiles' cited [action_plan].
REQUIRED_IN = {slug for slug, profile in all_profiles().items() if profile.action_plan}


def participants(trainee: Trainee) -> dict[str, set[int]]:
    """Who takes part in the trainee's plan, by capacity."""
    return party_holders(trainee)


def plan_content(plan: ActionPlan) -> dict[str, Any]:
    """What participants confirm: the problems and the agreed measures."""
    return {
        "problem_areas": plan.problem_areas,
        "follow_up_on": plan.follow_up_on.isoformat(),
        "measures": [
            {"description": m.description, "owner": m.owner_id, "due": m.due.isoformat()}
            for m in plan.measures.order_by("pk")
        ],
    }


@transaction.atomic
def action_plan_create(
    *,
    trainee: Trainee,
    by: User,
    problem_areas: str,
    follow_up_on: date,
    measures: list[dict[str, Any]],
) -> ActionPlan:
    """Create a plan with its measures; each measure has a description, an owner and a due date."""
    plan = ActionPlan.unscoped.create(
        region=trainee.region,
        trainee=trainee,
        problem_areas=problem_areas,
        follow_up_on=follow_up_on,
        created_by=by,
    )
    ActionMeasure.unscoped.bulk_create(
        [ActionMeasure(region=trainee.region, plan=plan, **measure) for measure in measures]
    )
    record_trainee_change(trainee, by, "action_plan_created", plan, measures=len(measures))
    return plan


def action_plan_confirm(*, plan: ActionPlan, user: User, party: str) -> Signature:
    """Confirm the plan as one of its participants."""
    return sign(
        obj=plan,
        user=user,
        party=party,
        content=plan_content(plan),
        region_slug=plan.trainee.region.slug,
        allowed_parties=participants(plan.trainee),
        trainee_id=plan.trainee_id,
    )


def action_measure_done(*, measure: ActionMeasure, by: User, done_on: date) -> None:
    """Mark a measure done; it stops being reminded."""
    measure.done_on = done_on
    measure.save(update_fields=["done_on"])
    record_trainee_change(measure.plan.trainee, by, "action_measure_done", measure)


def action_plan_close(*, plan: ActionPlan, by: User, outcome: str, closed_on: date) -> None:
    """Record the outcome and close the plan."""
    if not outcome.strip():
        raise ValueError(_("Beskriv utfallet innan planen avslutas."))
    plan.outcome = outcome
    plan.closed_on = closed_on
    plan.save(update_fields=["outcome", "closed_on"])
    record_trainee_change(plan.trainee, by, "action_plan_closed", plan)
