"""Action plans: created from an at-risk trainee, followed up, confirmed by the participants."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stprogram.decorators import region_member
from stprogram.models import User
from stprogram.signing import SigningError, require_fresh_login, signatures_of
from supervision import action_plans as plans
from supervision.forms_action_plans import ActionPlanForm, CloseForm, MeasureFormSet
from supervision.models import ActionMeasure
from supervision.permissions import (
    action_plan_for,
    may_confirm_action_plan,
    may_manage_action_plan,
    may_mark_measure_done,
)
from trainees.permissions import trainee_for

PARTY_LABELS = {
    "trainee": gettext_lazy("ST-läkare"),
    "main_supervisor": gettext_lazy("Huvudhandledare"),
    "study_director": gettext_lazy("Studierektor"),
    "head_of_unit": gettext_lazy("Verksamhetschef"),
}


def _owners(people: dict[str, set[int]]) -> list[tuple[int, str]]:
    ids = set().union(*people.values())
    return [(u.pk, u.get_full_name() or u.email) for u in User.objects.filter(pk__in=ids)]


@region_member
def action_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw up an action plan with problem areas and measures (owner and due date each)."""
    trainee = trainee_for(request, pk)
    if not may_manage_action_plan(request.user, trainee):
        raise PermissionDenied
    owners = _owners(plans.participants(trainee))
    form = ActionPlanForm(request.POST or None)
    measures = MeasureFormSet(request.POST or None, prefix="atgard", form_kwargs={"owners": owners})
    if request.method == "POST" and form.is_valid() and measures.is_valid():
        plan = plans.action_plan_create(
            trainee=trainee,
            by=request.user,
            problem_areas=form.cleaned_data["problem_areas"],
            follow_up_on=form.cleaned_data["follow_up_on"],
            measures=[
                {"description": m["description"], "owner_id": m["owner"], "due": m["due"]}
                for m in measures.cleaned_data
                if m
            ],
        )
        messages.success(request, _("Åtgärdsplanen är upprättad. Deltagarna kan nu bekräfta den."))
        return redirect(
            "supervision:action_plan", region=request.region.slug, pk=pk, plan_pk=plan.pk
        )
    context = {
        "trainee": trainee,
        "form": form,
        "measures": measures,
        "required": request.region.slug in plans.REQUIRED_IN,
    }
    return render(request, "supervision/action_plan_form.html", context)


@region_member
def action_plan(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    """The plan, its measures, who has confirmed it, and the follow-up."""
    plan = action_plan_for(request, pk, plan_pk)
    people = plans.participants(plan.trainee)
    signed = {s.party: s for s in signatures_of(plan)}
    confirmations = [
        {"party": party, "label": PARTY_LABELS[party], "signature": signed.get(party)}
        for party in PARTY_LABELS
        if people[party]
    ]
    mine = [
        c["party"]
        for c in confirmations
        if not c["signature"] and request.user.pk in people[c["party"]]
    ]
    context = {
        "plan": plan,
        "trainee": plan.trainee,
        "measures": plan.measures.select_related("owner"),
        "confirmations": confirmations,
        "my_parties": mine,
        "close_form": CloseForm(),
        "today": timezone.localdate(),
    }
    return render(request, "supervision/action_plan.html", context)


@region_member
@require_POST
def action_plan_confirm(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    """Confirm the plan (fresh login required, as for every signature)."""
    plan = action_plan_for(request, pk, plan_pk)
    if not may_confirm_action_plan(request.user, plan):
        # As for contracts and the IUP: only a participant is asked to log in again.
        raise PermissionDenied
    require_fresh_login(request)
    try:
        plans.action_plan_confirm(plan=plan, user=request.user, party=request.POST.get("party", ""))
    except SigningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Du har bekräftat åtgärdsplanen."))
    return redirect("supervision:action_plan", region=request.region.slug, pk=pk, plan_pk=plan.pk)


@region_member
@require_POST
def action_measure_done(
    request: HttpRequest, pk: int, plan_pk: int, measure_pk: int
) -> HttpResponse:
    """Mark a measure done: its owner, the study director or the main supervisor."""
    plan = action_plan_for(request, pk, plan_pk)
    measure = get_object_or_404(ActionMeasure, pk=measure_pk, plan=plan)
    manages = may_manage_action_plan(request.user, plan.trainee)
    if not may_mark_measure_done(request.user, measure, manages=manages):
        raise PermissionDenied
    plans.action_measure_done(measure=measure, by=request.user, done_on=timezone.localdate())
    messages.success(request, _("Åtgärden är markerad som klar."))
    return redirect("supervision:action_plan", region=request.region.slug, pk=pk, plan_pk=plan.pk)


@region_member
@require_POST
def action_plan_close(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    """Record the outcome and close the plan."""
    plan = action_plan_for(request, pk, plan_pk)
    if not may_manage_action_plan(request.user, plan.trainee):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        plans.action_plan_close(
            plan=plan,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            closed_on=timezone.localdate(),
        )
        messages.success(request, _("Åtgärdsplanen är avslutad."))
    else:
        messages.error(request, _("Beskriv utfallet innan planen avslutas."))
    return redirect("supervision:action_plan", region=request.region.slug, pk=pk, plan_pk=plan.pk)
