"""Assessments, the public single-use link, goal progress and sign-off, audit history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from assessments import workflow
from assessments.forms import (
    MALBESKRIVNING_MAX_BYTES,
    MalbeskrivningForm,
    RaterFormSet,
    RequestForm,
    RevokeForm,
    SignoffForm,
)
from assessments.history import history_lines
from assessments.instruments import INSTRUMENTS
from assessments.models import Assessment, GoalSignoff
from assessments.permissions import (
    assessment_for,
    goal_doors,
    may_revoke,
    may_sign_assessment,
    signoff_trainee_for,
)
from assessments.selectors import progress_matrix
from assessments.services import CurriculumError, malbeskrivning_import
from assessments.signoff import evidence_for, signing_capacity, signoff_create, signoff_revoke
from regions.models import Role
from regions.tenancy import region_context
from stprogram.decorators import region_member, role_required
from stprogram.models import AuditEvent
from stprogram.request_limits import accepts_upload
from stprogram.signing import require_fresh_login, signatures_of
from trainees.models import Trainee
from trainees.permissions import (
    editable_trainee_for,
    may_edit,
    may_see_history,
    trainee_for,
)


@region_member
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee's assessments; the trainee (or their people) request new ones here.

    An external assessor's link goes to their e-mail only; the page says where it
    went, never what it is, so the trainee cannot fill in their own assessment.
    """
    trainee = trainee_for(request, pk)
    form = None
    editable = may_edit(request, trainee)
    if editable:
        form = RequestForm(request.POST or None, trainee=trainee)
        if request.method == "POST" and form.is_valid():
            try:
                assessment = _request(request, trainee, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _sent_message(assessment))
                return redirect("assessments:list", region=request.region.slug, pk=pk)
    assessments = Assessment.objects.filter(trainee=trainee, parent__isnull=True).select_related(
        "assessor"
    )
    return render(
        request,
        "assessments/list.html",
        {"trainee": trainee, "assessments": assessments, "form": form, "editable": editable},
    )


def _request(request: HttpRequest, trainee: Trainee, data: dict) -> Assessment:
    assessment, _raw = workflow.assessment_request(
        trainee=trainee,
        by=request.user,
        method=data["method"],
        goal_codes=data["goal_codes"],
        context=data["context"],
        assessor=data["assessor"],
        assessor_name=data["assessor_name"],
        assessor_email=data["assessor_email"],
        assessor_profession=data["assessor_profession"],
    )
    return assessment


def _sent_message(assessment: Assessment) -> str:
    if assessment.assessor_id:
        return _("Bedömningen är begärd.")
    return _("Länk skickad till %(email)s.") % {"email": assessment.assessor_email}


@require_POST
@region_member
def link_resend(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """Send an external assessor a new link; the old one stops working."""
    trainee = editable_trainee_for(request, pk)
    assessment = get_object_or_404(
        Assessment.objects.select_related("trainee__user"),
        trainee=trainee,
        pk=assessment_pk,
        assessor__isnull=True,
        status=Assessment.Status.REQUESTED,
    )
    workflow.assessment_link_resend(assessment=assessment, by=request.user)
    messages.success(request, _sent_message(assessment))
    return redirect("assessments:list", region=request.region.slug, pk=pk)


@region_member
def request_360(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a 360° round: at least 6 raters, at least 2 from other professions."""
    trainee = editable_trainee_for(request, pk)
    raters = RaterFormSet(request.POST or None, prefix="rater")
    error = None
    if request.method == "POST" and raters.is_valid():
        rows = [f.cleaned_data for f in raters if f.cleaned_data]
        try:
            workflow.request_360(trainee=trainee, by=request.user, raters=rows, goal_codes=[])
        except ValidationError as exc:
            error = exc.messages
        else:
            messages.success(request, _("360-graders bedömningen är startad."))
            return redirect("assessments:list", region=request.region.slug, pk=pk)
    return render(
        request,
        "assessments/request_360.html",
        {"trainee": trainee, "raters": raters, "errors": error},
    )


@region_member
def assessment_detail(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """One assessment: the assessor fills it in here; everyone allowed reads it."""
    assessment = assessment_for(request, pk, assessment_pk)
    spec = INSTRUMENTS[assessment.method]
    form = None
    if assessment.assessor_id == request.user.pk and assessment.status != "signed":
        form = spec.form_class(request.POST or None, initial=assessment.data or None)
        if request.method == "POST" and form.is_valid():
            workflow.assessment_complete(
                assessment=assessment, data=form.json_data(), by=request.user
            )
            messages.success(request, _("Bedömningen är ifylld. Underteckna den när den är klar."))
            return redirect(
                "assessments:detail", region=request.region.slug, pk=pk, assessment_pk=assessment_pk
            )
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "trainee": assessment.trainee,
            "form": form,
            "rows": spec.summary(assessment.data) if assessment.data else [],
            "signatures": signatures_of(assessment),
            "raters": assessment.raters.select_related("assessor")
            if assessment.method == "360"
            else [],
        },
    )


@region_member
def assessment_sign(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """Sign a completed assessment after a fresh login; it is then locked."""
    assessment = assessment_for(request, pk, assessment_pk)
    if not may_sign_assessment(request.user, assessment):
        raise PermissionDenied
    require_fresh_login(request)
    if request.method == "POST":
        try:
            workflow.assessment_sign(assessment=assessment, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Bedömningen är undertecknad och låst."))
        return redirect(
            "assessments:detail", region=request.region.slug, pk=pk, assessment_pk=assessment_pk
        )
    return render(request, "assessments/sign.html", {"assessment": assessment})


@never_cache
@csrf_protect
def token_fill(request: HttpRequest, token: str) -> HttpResponse:
    """The single-use link: one form, nothing else; used once, expires after 14 days."""
    try:
        assessment = workflow.token_assessment(token)
    except ValidationError as exc:
        return render(
            request, "assessments/token_invalid.html", {"message": exc.messages[0]}, status=404
        )
    if workflow.is_the_trainee(assessment, request.user):
        # The trainee's own session: someone else must assess them.
        message = str(workflow.SELF_ASSESSMENT)
        return render(request, "assessments/token_invalid.html", {"message": message}, status=403)
    spec = INSTRUMENTS[assessment.method]
    by = request.user if request.user.is_authenticated else None
    with region_context(assessment.region):
        form = spec.form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.assessment_complete(
                    assessment=assessment, data=form.json_data(), by=by, token=token
                )
            except ValidationError as exc:
                return render(
                    request,
                    "assessments/token_invalid.html",
                    {"message": exc.messages[0]},
                    status=404,
                )
            return render(request, "assessments/token_done.html", {"assessment": assessment})
        return render(
            request,
            "assessments/token_form.html",
            {"assessment": assessment, "form": form, "spec": spec},
        )


@region_member
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Goals × evidence and sign-off for one trainee."""
    trainee = trainee_for(request, pk)
    context = {
        "trainee": trainee,
        "rows": progress_matrix(trainee),
        # Worked out once for every row's "Intyga" and "Återkalla" link.
        "doors": goal_doors(trainee, request.user),
    }
    return render(request, "assessments/progress.html", context)


@region_member
def signoff(request: HttpRequest, pk: int, goal: str) -> HttpResponse:
    """Sign a goal off as achieved, pointing at the evidence (fresh login required)."""
    trainee = signoff_trainee_for(request, pk)
    try:
        party, rotation = signing_capacity(trainee, goal, request.user)
    except ValidationError:
        raise PermissionDenied from None
    require_fresh_login(request)
    evidence = evidence_for(trainee, goal)
    if party == "rotation_supervisor":
        # A rotation supervisor sees only what belongs to their rotation.
        mine = set(
            Assessment.objects.filter(trainee=trainee, assessor=request.user).values_list(
                "pk", flat=True
            )
        )
        evidence = [
            e
            for e in evidence
            if (e.kind, e.pk) == ("rotation", rotation.pk)
            or (e.kind == "assessment" and e.pk in mine)
        ]
    choices = [(f"{e.kind}:{e.pk}", e.label) for e in evidence]
    form = SignoffForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            signoff_create(
                trainee=trainee,
                goal_code=goal,
                by=request.user,
                evidence=form.cleaned_data["evidence"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Delmålet är intygat."))
            return redirect("assessments:progress", region=request.region.slug, pk=pk)
    return render(
        request, "assessments/signoff.html", {"trainee": trainee, "goal": goal, "form": form}
    )


@region_member
def revoke(request: HttpRequest, pk: int, goal: str) -> HttpResponse:
    """Revoke a sign-off with a reason (fresh login required, as for signing it)."""
    trainee = trainee_for(request, pk)
    current = get_object_or_404(
        GoalSignoff, trainee=trainee, goal_code=goal, revoked_at__isnull=True
    )
    if not may_revoke(signoff=current, user=request.user):
        # Others who see the trainee would only meet a form that always refuses.
        raise PermissionDenied
    require_fresh_login(request)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signoff_revoke(signoff=current, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Intyget är återkallat."))
            return redirect("assessments:progress", region=request.region.slug, pk=pk)
    return render(
        request,
        "assessments/revoke.html",
        {"trainee": trainee, "goal": goal, "form": form, "signoff": current},
    )


@region_member
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit history of the trainee's records (who may read it: `may_see_history`)."""
    trainee = trainee_for(request, pk)
    if not may_see_history(request, trainee):
        raise Http404
    events = AuditEvent.objects.filter(
        region_slug=request.region.slug, trainee_id=trainee.pk
    ).select_related("actor")[:500]
    lines = history_lines(trainee, events)
    return render(request, "assessments/history.html", {"trainee": trainee, "lines": lines})


# The catalogue is national; a regional administrator of any region keeps it (staff
# without a region use ``manage.py import_malbeskrivning``).
@accepts_upload(lambda: MALBESKRIVNING_MAX_BYTES)
@role_required(Role.REGIONAL_ADMIN)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    """Upload Socialstyrelsen's målbeskrivning (PDF); all of it is loaded or nothing."""
    form = MalbeskrivningForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = malbeskrivning_import(data=upload.read(), file_name=upload.name)
        except CurriculumError as error:
            form.add_error(None, _("Ingenting lästes in."))
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, result.summary())
            return redirect("assessments:catalogue_import", region=request.region.slug)
    return render(request, "assessments/catalogue_import.html", {"form": form})
