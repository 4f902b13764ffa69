"""The trainee's own pages and the staff view of one trainee."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from regions.models import Role
from stprogram.decorators import region_member, role_required
from supervision.models import Assignment
from trainees.selectors import get_trainee_for_user, own_trainee_record, responsible


def _programme_context(trainee: object) -> dict[str, object]:
    return {
        "trainee": trainee,
        "main_supervisors": responsible(trainee, Assignment.Role.MAIN_SUPERVISOR),
        "study_directors": responsible(trainee, Assignment.Role.STUDY_DIRECTOR),
    }


@role_required(Role.TRAINEE)
def my_st(request: HttpRequest) -> HttpResponse:
    """ "Min ST": the trainee's own programme in this region."""
    trainee = own_trainee_record(request.user)
    if trainee is None:
        raise Http404
    return render(request, "trainees/my_st.html", _programme_context(trainee))


@region_member
def trainee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One trainee's programme, for the people responsible for them."""
    trainee = get_trainee_for_user(request.user, request.memberships, pk)
    return render(request, "trainees/detail.html", _programme_context(trainee))
