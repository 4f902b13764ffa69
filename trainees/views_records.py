"""Rotations, learning activities and absence: record, view, remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions.models import Role
from regions.selectors import GUEST
from regions.tenancy import region_context
from stprogram.decorators import region_member, role_required
from stprogram.models import AccessLog
from trainees import services
from trainees.forms import AbsenceForm, ActivityForm, RotationForm
from trainees.models import Absence, Activity, Rotation, Trainee
from trainees.permissions import (
    active_grants,
    editable_trainee_for,
    grant_to_decide,
    grants_to_decide,
    rotation_for,
)

# Who answers a request from another region for one of their supervisors (see
# trainees.permissions: the receiving unit's staff, per request).
DECIDING = (Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT, Role.REGIONAL_STUDY_DIRECTOR)
RECORD_MODELS = {"placering": Rotation, "aktivitet": Activity, "franvaro": Absence}


def _record_page(
    request: HttpRequest,
    pk: int,
    form_class: type,
    title: str,
    save: Callable[[Trainee, Any], object],
    needs_trainee: bool = True,
) -> HttpResponse:
    trainee = editable_trainee_for(request, pk)
    kwargs = {"trainee": trainee} if needs_trainee else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save(trainee, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sparat."))
            return redirect("trainees:detail", region=request.region.slug, pk=trainee.pk)
    return render(
        request, "trainees/record_form.html", {"trainee": trainee, "form": form, "title": title}
    )


@region_member
def rotation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a rotation at another unit."""
    return _record_page(
        request,
        pk,
        RotationForm,
        _("Ny placering"),
        lambda t, f: services.rotation_record(trainee=t, by=request.user, data=f.record_data()),
    )


@region_member
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a course, auskultation, scientific work or quality-improvement work."""
    return _record_page(
        request,
        pk,
        ActivityForm,
        _("Ny utbildningsaktivitet"),
        lambda t, f: services.activity_record(trainee=t, by=request.user, data=f.cleaned_data),
    )


@region_member
def absence_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record leave (parental, sick, other)."""
    return _record_page(
        request,
        pk,
        AbsenceForm,
        _("Ny frånvaro"),
        lambda t, f: services.absence_record(trainee=t, by=request.user, **f.cleaned_data),
        needs_trainee=False,
    )


@require_POST
@region_member
def record_delete(request: HttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    """Remove a mistaken rotation, activity or absence."""
    trainee = editable_trainee_for(request, pk)
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model, trainee=trainee, pk=record_pk)
    services.record_delete(record=record, by=request.user)
    messages.success(request, _("Borttaget."))
    return redirect("trainees:detail", region=request.region.slug, pk=trainee.pk)


@region_member
def rotation_detail(request: HttpRequest, pk: int, rotation_pk: int) -> HttpResponse:
    """One rotation: for the trainee's own people, or a receiving supervisor with a grant."""
    rotation, via_grant = rotation_for(request, pk, rotation_pk)
    if via_grant:
        AccessLog.record(request, AccessLog.Kind.CROSS_REGION, f"Placering {rotation.pk}")
    return render(
        request,
        "trainees/rotation_detail.html",
        {"rotation": rotation, "trainee": rotation.trainee, "via_grant": via_grant},
    )


@region_member
def guest_rotations(request: HttpRequest) -> HttpResponse:
    """The rotations a supervisor from another region may see here, today."""
    if GUEST not in request.roles:
        raise Http404
    rotations = Rotation.objects.filter(pk__in=active_grants(request)).select_related(
        "trainee__user", "grant"
    )
    return render(request, "trainees/guest_rotations.html", {"rotations": rotations})


@role_required(*DECIDING)
def grant_requests(request: HttpRequest) -> HttpResponse:
    """Requests from other regions for one of our supervisors to follow a rotation."""
    return render(request, "trainees/grant_requests.html", {"grants": grants_to_decide(request)})


@require_POST
@role_required(*DECIDING)
def grant_decide(request: HttpRequest, grant_pk: int) -> HttpResponse:
    """Accept or decline one request; until accepted the supervisor sees nothing."""
    grant = grant_to_decide(request, grant_pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Välj att godkänna eller avböja förfrågan."))
        return redirect("trainees:grant_requests", region=request.region.slug)
    accept = decision == "accept"
    try:
        # The grant is the trainee's region's row: the write happens in that region.
        with region_context(grant.region):
            services.rotation_grant_decide(grant=grant, by=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("Förfrågan är godkänd.") if accept else _("Förfrågan är avböjd.")
        messages.success(request, done)
    return redirect("trainees:grant_requests", region=request.region.slug)
