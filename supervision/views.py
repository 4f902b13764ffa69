"""The supervisor's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from regions.models import Role
from stprogram.decorators import role_required
from trainees.models import Trainee
from trainees.selectors import active_assignments, with_people


@role_required(Role.SUPERVISOR)
def supervisor_home(request: HttpRequest) -> HttpResponse:
    """The trainees the user currently supervises."""
    assigned = active_assignments().filter(
        user=request.user, role__in=("main_supervisor", "supervisor")
    )
    trainees = with_people(Trainee.objects.filter(pk__in=assigned.values("trainee_id")))
    return render(request, "supervision/home.html", {"trainees": trainees})
