"""The ST contract and the IUP: write, revise, sign and approve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from obligations.trainee_overview import document_status, iup_parties_for
from stprogram.decorators import region_member
from stprogram.signing import PARTY_LABELS, SigningError, is_signed, require_fresh_login
from trainees import parties as p
from trainees import services
from trainees.forms import ContractForm, GoalPlanFormSet, IupForm, PlannedItemFormSet, goal_choices
from trainees.models import Contract, IupVersion, Trainee
from trainees.permissions import (
    editable_trainee_for,
    may_edit,
    parties_left,
    signing_parties,
    trainee_for,
)


def _with_doors(versions: list[dict[str, Any]], mine: list[str], parties: p.Parties) -> None:
    for version in versions:
        version["may_sign"] = bool(parties_left(mine, parties, version))


@region_member
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee's contracts: every version with its signatures; write a new one."""
    trainee = trainee_for(request, pk)
    parties = p.CONTRACT_PARTIES[trainee.region.slug]
    versions = [document_status(c, parties) for c in Contract.objects.filter(trainee=trainee)]
    mine = signing_parties(request.user, trainee, parties)
    _with_doors(versions, mine, parties)
    form = None
    if may_edit(request, trainee):
        latest = versions[0]["obj"] if versions else None
        initial = {"terms": latest.terms, "kind": latest.kind} if latest else {}
        form = ContractForm(request.POST or None, initial=initial)
        saved = request.method == "POST" and form.is_valid()
        if saved and _save_contract(request, trainee, latest, form):
            return redirect("trainees:contract", region=request.region.slug, pk=pk)
    return render(
        request,
        "trainees/contract.html",
        {
            "trainee": trainee,
            "versions": versions,
            "form": form,
            "parties": parties,
        },
    )


def _save_contract(
    request: HttpRequest, trainee: Trainee, latest: Contract | None, form: ContractForm
) -> bool:
    data = form.cleaned_data
    try:
        if latest and latest.kind == data["kind"] and not is_signed(latest):
            services.contract_update(contract=latest, terms=data["terms"], by=request.user)
        else:
            services.contract_create(
                trainee=trainee,
                kind=data["kind"],
                terms=data["terms"],
                reason=data["reason"],
                by=request.user,
            )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Kontraktet är sparat."))
    return True


@region_member
def contract_sign(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    """Confirm and sign a contract version (after a fresh login)."""
    trainee = trainee_for(request, pk)
    contract = get_object_or_404(Contract, trainee=trainee, pk=contract_pk)
    return _sign(
        request,
        trainee,
        contract,
        p.CONTRACT_PARTIES[trainee.region.slug],
        lambda party: services.contract_sign(contract=contract, user=request.user, party=party),
        "trainees:contract",
    )


def _sign(
    request: HttpRequest, trainee: Trainee, obj: Any, parties: p.Parties, do: Any, back: str
) -> HttpResponse:
    mine = signing_parties(request.user, trainee, parties)
    if not mine:
        raise PermissionDenied
    status = document_status(obj, parties)
    mine = parties_left(mine, parties, status)
    if not mine:
        # A stale link or a second tab: say so before asking for a password.
        messages.info(request, _("Dina underskrifter på den här versionen är redan gjorda."))
        return redirect(back, region=request.region.slug, pk=trainee.pk)
    require_fresh_login(request)
    error = None
    if request.method == "POST":
        party = request.POST.get("party", "")
        try:
            do(party)
        except SigningError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Underskriften är registrerad."))
            return redirect(back, region=request.region.slug, pk=trainee.pk)
    return render(
        request,
        "trainees/sign.html",
        {
            "trainee": trainee,
            "obj": obj,
            "status": status,
            "choices": [(x, PARTY_LABELS[x]) for x in mine],
            "error": error,
        },
    )


@region_member
def iup_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The IUP's versions (ST and BT) with their approvals."""
    trainee = trainee_for(request, pk)
    parties = p.IUP_PARTIES[trainee.region.slug]
    versions = IupVersion.objects.filter(trainee=trainee).prefetch_related(
        "goal_plans", "planned_items"
    )
    statuses = [document_status(v, iup_parties_for(v)) for v in versions]
    _with_doors(statuses, signing_parties(request.user, trainee, parties), parties)
    return render(
        request,
        "trainees/iup.html",
        {
            "trainee": trainee,
            "versions": statuses,
            "can_edit": may_edit(request, trainee),
            "parties": parties,
        },
    )


@region_member
def iup_version(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    """One IUP version, read-only (earlier versions stay readable)."""
    trainee = trainee_for(request, pk)
    iup = get_object_or_404(IupVersion, trainee=trainee, pk=version_pk)
    status = document_status(iup, iup_parties_for(iup))
    return render(
        request, "trainees/iup_version.html", {"trainee": trainee, "iup": iup, "status": status}
    )


@region_member
def iup_edit(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    """Write the IUP draft, or revise an approved one into a new version."""
    trainee = editable_trainee_for(request, pk)
    if phase not in ("ST", "BT") or (phase == "BT" and not trainee.bt_end):
        phase = "ST"
    latest = IupVersion.objects.filter(trainee=trainee, phase=phase).order_by("-version").first()
    goals = goal_choices(trainee)
    data = request.POST if request.method == "POST" else None
    form = IupForm(data, initial=_iup_initial(latest))
    plans = GoalPlanFormSet(
        data, prefix="goal", form_kwargs={"goals": goals}, initial=_rows(latest, "goal_plans")
    )
    items = PlannedItemFormSet(data, prefix="item", initial=_rows(latest, "planned_items"))
    if data is not None and form.is_valid() and plans.is_valid() and items.is_valid():
        try:
            with transaction.atomic():
                _save_iup(request, trainee, phase, form, plans, items)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("IUP är sparad."))
            return redirect("trainees:iup", region=request.region.slug, pk=pk)
    return render(
        request,
        "trainees/iup_edit.html",
        {
            "trainee": trainee,
            "form": form,
            "plans": plans,
            "items": items,
            "phase": phase,
            "revising": latest is not None and is_signed(latest),
            "latest": latest,
        },
    )


def _iup_initial(latest: IupVersion | None) -> dict[str, str]:
    if latest is None:
        return {}
    fields = ("service_plan_note", "scientific_work", "quality_work", "self_study")
    return {f: getattr(latest, f) for f in fields}


def _rows(latest: IupVersion | None, relation: str) -> list[dict[str, Any]]:
    if latest is None:
        return []
    if relation == "goal_plans":
        return [
            {"goal_code": g.goal_code, "activities": g.activities, "assessment": g.assessment}
            for g in latest.goal_plans.all()
        ]
    return [
        {"kind": i.kind, "title": i.title, "start": i.start, "end": i.end}
        for i in latest.planned_items.all()
    ]


def _save_iup(
    request: HttpRequest, trainee: Trainee, phase: str, form: IupForm, plans: Any, items: Any
) -> None:
    texts = form.cleaned_data
    services.iup_save(
        trainee=trainee,
        phase=phase,
        by=request.user,
        texts=texts,
        change_summary=texts["change_summary"],
        goal_plans=_kept(plans),
        planned=[{**row, "goal_codes": []} for row in _kept(items)],
    )


def _kept(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of a formset that are not marked for removal."""
    rows = []
    for form in formset:
        data = dict(form.cleaned_data)
        if data and not data.pop("DELETE", False):
            rows.append(data)
    return rows


@region_member
def iup_sign(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    """Confirm and sign or approve an IUP version (after a fresh login)."""
    trainee = trainee_for(request, pk)
    iup = get_object_or_404(IupVersion, trainee=trainee, pk=version_pk)
    return _sign(
        request,
        trainee,
        iup,
        p.IUP_PARTIES[trainee.region.slug],
        lambda party: services.iup_sign(iup=iup, user=request.user, party=party),
        "trainees:iup",
    )
