"""The supervisor's pages: trainees, the queue (updates in place with htmx), meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from obligations.start_counts import supervisor_tallies
from regions.models import Membership, Role
from stprogram.decorators import region_member, role_required
from supervision import services
from supervision.forms import MeetingForm, ProfileForm, TrainingForm
from supervision.models import SupervisionMeeting, SupervisorProfile, SupervisorTraining
from supervision.permissions import may_author_yearly, meeting_to_confirm, yearly_kinds_for
from supervision.qualifications import (
    Qualification,
    qualification,
    qualifications,
    study_director_qualifications,
)
from supervision.selectors import queue_for, supervised_trainees
from supervision.yearly import YEARLY_FORMS
from trainees.permissions import editable_trainee_for, may_edit, trainee_for


@vary_on_headers("HX-Request")
@role_required(Role.SUPERVISOR)
def supervisor_home(request: HttpRequest) -> HttpResponse:
    """My trainees and the queue of what waits for my signature."""
    context = {"queue": queue_for(request.user), "trainees": supervised_trainees(request.user)}
    if request.htmx:
        return render(request, "supervision/home.html#queue", context)
    context["tallies"] = supervisor_tallies(request, context["trainees"], context["queue"])
    return render(request, "supervision/home.html", context)


@require_POST
@role_required(Role.SUPERVISOR)
def meeting_confirm(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Confirm a logged meeting; with htmx the queue is redrawn in place."""
    meeting = meeting_to_confirm(request.user, meeting_pk)
    services.meeting_confirm(meeting=meeting, by=request.user)
    if request.htmx:
        return render(request, "supervision/home.html#queue", {"queue": queue_for(request.user)})
    messages.success(request, _("Handledarsamtalet är bekräftat."))
    return redirect("supervision:home", region=request.region.slug)


@region_member
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a supervision meeting: date, length, goals, agreed actions."""
    trainee = editable_trainee_for(request, pk)
    form = MeetingForm(request.POST or None, trainee=trainee)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_log(trainee=trainee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Handledarsamtalet är loggat."))
            return redirect("supervision:meetings", region=request.region.slug, pk=pk)
    return render(request, "supervision/meeting_form.html", {"trainee": trainee, "form": form})


@region_member
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee's supervision meetings and yearly records."""
    trainee = trainee_for(request, pk)
    return render(
        request,
        "supervision/meetings.html",
        {
            "trainee": trainee,
            "can_edit": may_edit(request, trainee),
            "meetings": SupervisionMeeting.objects.filter(trainee=trainee).select_related(
                "supervisor"
            ),
            "records": trainee.yearly_records.select_related("author"),
            "kinds": yearly_kinds_for(user=request.user, trainee=trainee),
        },
    )


@region_member
def yearly_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Write a yearly record (annual report, supervisor statement, development talk, …).

    Only its author role may: 404 for whoever may not see the trainee, 403 for the others.
    """
    trainee = trainee_for(request, pk)
    if kind not in YEARLY_FORMS:
        raise Http404
    if not may_author_yearly(user=request.user, trainee=trainee, kind=kind):
        raise PermissionDenied
    spec = YEARLY_FORMS[kind]
    form = spec.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.json_data()
        try:
            services.yearly_record_save(
                trainee=trainee,
                kind=kind,
                by=request.user,
                record_date=form.cleaned_data["date"],
                late_reason=data.pop("late_reason", ""),
                data=data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sparat."))
            return redirect("supervision:meetings", region=request.region.slug, pk=pk)
    return render(
        request, "supervision/yearly_form.html", {"trainee": trainee, "form": form, "spec": spec}
    )


@role_required(Role.SUPERVISOR, Role.STUDY_DIRECTOR, Role.REGIONAL_STUDY_DIRECTOR)
def my_qualifications(request: HttpRequest) -> HttpResponse:
    """My own specialist competence and courses, against the supervisor and study director rules."""
    profile, _created = SupervisorProfile.objects.get_or_create(user=request.user)
    profile_form = ProfileForm(
        request.POST if "profile" in request.POST else None, instance=profile
    )
    training_form = TrainingForm(request.POST if "training" in request.POST else None)
    if profile_form.is_bound and profile_form.is_valid():
        profile_form.save()
        return redirect("supervision:qualifications", region=request.region.slug)
    if training_form.is_bound and training_form.is_valid():
        try:
            services.training_add(user=request.user, **training_form.cleaned_data)
        except ValidationError as error:
            training_form.add_error("day", error)
        else:
            return redirect("supervision:qualifications", region=request.region.slug)
    return render(
        request,
        "supervision/qualifications.html",
        {
            "profile_form": profile_form,
            "training_form": training_form,
            "trainings": SupervisorTraining.objects.filter(user=request.user),
            "status": qualification(request.user, profile.specialty_id, request.region.slug),
            "is_supervisor": Role.SUPERVISOR in request.roles,
            "director_status": _own_director_status(request),
        },
    )


def _own_director_status(request: HttpRequest) -> Qualification | None:
    """The viewer's standing as a study director, where they are one and the region has rules."""
    if not request.roles & {Role.STUDY_DIRECTOR, Role.REGIONAL_STUDY_DIRECTOR}:
        return None
    found = study_director_qualifications({request.user.pk}, request.region.slug)
    return found[request.user.pk] if found is not None else None


@role_required(Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT, Role.REGIONAL_STUDY_DIRECTOR)
def unit_supervisors(request: HttpRequest) -> HttpResponse:
    """The supervisors and study directors of my units with their qualification status."""
    units = [m.unit_id for m in request.memberships if m.unit_id]
    people = Membership.objects.select_related("user", "unit")
    if not request.roles & {Role.REGIONAL_STUDY_DIRECTOR}:
        people = people.filter(unit_id__in=units)
    context = {
        "rows": supervisor_rows(request, people.filter(role=Role.SUPERVISOR)),
        "directors": director_rows(request, people.filter(role=Role.STUDY_DIRECTOR)),
    }
    return render(request, "supervision/unit_supervisors.html", context)


def director_rows(
    request: HttpRequest, people: QuerySet[Membership]
) -> list[dict[str, Any]] | None:
    """Study director memberships with their qualification; None where the region sets none."""
    memberships = list(people.order_by("user__last_name", "user__first_name", "pk"))
    status = study_director_qualifications({m.user_id for m in memberships}, request.region.slug)
    if status is None:
        return None
    return [{"membership": m, "status": status[m.user_id]} for m in memberships]


def supervisor_rows(request: HttpRequest, people: QuerySet[Membership]) -> list[dict[str, Any]]:
    """Supervisor memberships with their qualification, in a fixed number of queries."""
    memberships = list(people)
    pairs = [(m.user_id, m.unit.specialty_id if m.unit else None) for m in memberships]
    status = qualifications(pairs, request.region.slug)
    return [
        {"membership": m, "status": status[pair]}
        for m, pair in zip(memberships, pairs, strict=True)
    ]
