"""The regional administrator: enrol trainees and staff, assign trainees' responsible people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions.forms import StaffForm
from regions.invitations import invitation_send
from regions.models import Membership
from regions.selectors import staff_awaiting_password
from regions.services import staff_enrol
from stprogram.decorators import role_required
from supervision.models import Assignment
from supervision.qualifications import warn_if_unqualified
from trainees import services
from trainees.forms import AssignmentForm, EnrolForm
from trainees.permissions import ADMINISTERING_ROLES, trainee_for


@role_required(*ADMINISTERING_ROLES)
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol a trainee in the region."""
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainee = services.trainee_enrol(
                region=request.region, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s är inskriven.") % {"name": trainee})
            _warn(request, form.cleaned_data["main_supervisor"], trainee)
            return redirect("trainees:detail", region=request.region.slug, pk=trainee.pk)
    return render(request, "trainees/enrol.html", {"form": form})


@role_required(*ADMINISTERING_ROLES)
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has been responsible for the trainee, and hand a role to someone new."""
    trainee = trainee_for(request, pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_change(
                trainee=trainee,
                role=data["role"],
                user=data["user"],
                start=data["start"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tilldelningen är sparad."))
            if data["role"] == "main_supervisor":
                _warn(request, data["user"], trainee)
            return redirect("trainees:assignments", region=request.region.slug, pk=pk)
    history = Assignment.objects.filter(trainee=trainee).select_related("user")
    return render(
        request, "trainees/assignments.html", {"trainee": trainee, "form": form, "history": history}
    )


@role_required(*ADMINISTERING_ROLES)
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the trainee a new invitation; the earlier link stops working."""
    trainee = trainee_for(request, pk)
    invitation_send(
        user=trainee.user, by=request.user, region_slug=request.region.slug, trainee_id=trainee.pk
    )
    messages.success(
        request,
        _("En ny inbjudan är skickad till %(email)s. Den tidigare länken gäller inte längre.")
        % {"email": trainee.user.email},
    )
    return redirect("trainees:detail", region=request.region.slug, pk=pk)


@role_required(*ADMINISTERING_ROLES)
def staff_new(request: HttpRequest) -> HttpResponse:
    """Create a staff member's account and role in the region; they get an invitation."""
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_enrol(region=request.region, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s har fått ett konto och en inbjudan till %(email)s.")
                % {"name": user, "email": user.email},
            )
            return redirect("trainees:staff_new", region=request.region.slug)
    context = {"form": form, "waiting": staff_awaiting_password()}
    return render(request, "regions/staff_new.html", context)


@role_required(*ADMINISTERING_ROLES)
@require_POST
def staff_invite(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Send a staff member of the region a new invitation; the earlier link stops working."""
    # Someone holding a role in this region; anyone else is not the administrator's to invite.
    member = Membership.objects.filter(user_id=user_pk).select_related("user").first()
    if member is None:
        raise Http404
    invitation_send(user=member.user, by=request.user, region_slug=request.region.slug)
    messages.success(
        request,
        _("En ny inbjudan är skickad till %(email)s. Den tidigare länken gäller inte längre.")
        % {"email": member.user.email},
    )
    return redirect("trainees:staff_new", region=request.region.slug)


def _warn(request: HttpRequest, supervisor: object, trainee: object) -> None:
    """Show (and record) why the new main supervisor may not meet the requirements."""
    for warning in warn_if_unqualified(user=supervisor, trainee=trainee, action="assignment"):
        messages.warning(request, _("Huvudhandledaren: %(w)s") % {"w": warning})
