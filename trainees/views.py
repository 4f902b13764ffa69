"""The programme overview ("Min ST" and the staff view), portfolio download, personnummer."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from obligations.trainee_overview import programme
from regions.invitations import latest_invitation
from regions.models import Role
from stprogram.decorators import region_member, role_required
from stprogram.models import AccessLog
from supervision.models import Assignment
from trainees import personnummer
from trainees.models import Trainee
from trainees.permissions import is_owner, may_administer, may_edit, trainee_for
from trainees.portfolio import export_portfolio
from trainees.selectors import own_trainee_record, responsible


def _page(request: HttpRequest, trainee: Trainee, template: str) -> HttpResponse:
    can_edit = may_edit(request, trainee)
    context = {
        "trainee": trainee,
        "main_supervisors": responsible(trainee, Assignment.Role.MAIN_SUPERVISOR),
        "study_directors": responsible(trainee, Assignment.Role.STUDY_DIRECTOR),
        "can_edit": can_edit,
        "is_self": trainee.user_id == request.user.pk,
        "pnr_masked": personnummer.masked(trainee.personnummer),
        **programme(trainee, may_edit=can_edit),
    }
    if may_administer(request):
        context["may_administer"] = True
        context["invitation"] = latest_invitation(trainee.user)
    return render(request, template, context)


@role_required(Role.TRAINEE)
def my_st(request: HttpRequest) -> HttpResponse:
    """ "Min ST": the trainee's own programme in this region."""
    trainee = own_trainee_record(request.user)
    if trainee is None:
        raise Http404
    return _page(request, trainee, "trainees/my_st.html")


@region_member
def trainee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One trainee's programme, for the people responsible for them."""
    return _page(request, trainee_for(request, pk), "trainees/detail.html")


@region_member
def portfolio_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee's own portfolio as an st-portfolio/1 file (data portability)."""
    trainee = trainee_for(request, pk)
    if not is_owner(request, trainee):
        raise Http404
    body = json.dumps(export_portfolio(trainee), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="st-portfolj.json"'
    return response


@require_POST
@region_member
def personnummer_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full personnummer once, to someone who may edit the record; it is logged."""
    trainee = trainee_for(request, pk)
    if not may_edit(request, trainee) or not trainee.personnummer:
        raise Http404
    AccessLog.record(request, AccessLog.Kind.PERSONNUMMER, f"ST-läkare {trainee.pk}")
    return render(
        request,
        "trainees/_personnummer.html",
        {"value": personnummer.formatted(trainee.personnummer)},
    )
