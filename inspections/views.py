"""Pages for a unit's reviews: overview, history, plan and record, report, findings, measures,
follow-up, the self-assessment and the pre-inspection pack."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import permissions as doors
from inspections import selectors, services
from inspections.forms import (
    FindingForm,
    FollowUpDoneForm,
    FollowUpPlanForm,
    MeasureForm,
    ReportForm,
    ReviewForm,
    SelfAssessmentForm,
)
from inspections.models import Inspection, InspectionMeasure
from obligations import inspection_pack
from obligations import regional_metrics as metrics
from obligations.unit_reviews import unit_reviews
from regions.models import REGION_ROLES, UNIT_STAFF_ROLES
from regions.rules.profile import load_profile
from regions.selectors import visible_units
from stprogram.decorators import role_required
from stprogram.models import AccessLog
from stprogram.pdf import pdf_from_html
from stprogram.request_limits import accepts_upload

viewer = role_required(*UNIT_STAFF_ROLES)
INSPECTION_MEASURES = ("units_external_review_last_5_years", "units_stins_last_3_years")


@viewer
def overview(request: HttpRequest) -> HttpResponse:
    """Every visible unit with its last and next reviews, overdue units first."""
    today = timezone.localdate()
    units = list(visible_units(request).order_by("name"))
    context: dict[str, Any] = {
        "rows": unit_reviews(request.region, units, today),
        "today": today,
    }
    if request.roles & REGION_ROLES:
        profile = load_profile(request.region.slug)
        context["measures"] = metrics.yearly_measures(profile, today, only=INSPECTION_MEASURES)
    return render(request, "inspections/overview.html", context)


@viewer
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit: what is due next, its reviews and self-assessments."""
    unit = doors.unit_or_404(request, pk)
    today = timezone.localdate()
    row = unit_reviews(request.region, [unit], today)[0]
    context = {
        "unit": unit,
        "row": row,
        **selectors.history(unit),
    }
    return render(request, "inspections/unit.html", context)


@viewer
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan an external review (ordering body, date, inspectors), or record one already done."""
    unit = doors.managed_unit_for(request, pk)
    form = ReviewForm(
        request.POST or None,
        instance=Inspection(unit=unit, kind=Inspection.Kind.EXTERNAL),
        initial={"ordering_body": "LIPUS (SPUR)"},
    )
    if request.method == "POST" and form.is_valid():
        inspection = services.save_review(form.instance, request.user)
        messages.success(request, _("Granskningen är sparad."))
        return redirect("inspections:detail", region=request.region.slug, pk=inspection.pk)
    return render(request, "inspections/review_form.html", {"form": form, "unit": unit})


@viewer
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a review, or record a planned one as done."""
    inspection = doors.managed_inspection_for(request, pk)
    if inspection.kind != Inspection.Kind.EXTERNAL:
        raise Http404
    form = ReviewForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        services.save_review(form.instance, request.user)
        messages.success(request, _("Granskningen är sparad."))
        return redirect("inspections:detail", region=request.region.slug, pk=inspection.pk)
    context = {"form": form, "unit": inspection.unit, "inspection": inspection}
    return render(request, "inspections/review_form.html", context)


def _detail_context(request: HttpRequest, inspection: Inspection, **forms: Any) -> dict[str, Any]:
    manage = doors.may_manage_unit(request, inspection.unit)
    owners = doors.measure_owners(inspection.unit)
    context: dict[str, Any] = {
        "inspection": inspection,
        "unit": inspection.unit,
        "findings": list(inspection.findings.all()),
        # Each measure knows this inspection (and its unit): the rows' door needs no query.
        "measures": list(inspection.measures.select_related("owner", "finding")),
        "today": timezone.localdate(),
    }
    if manage:
        context |= {
            "report_form": forms.get("report_form") or ReportForm(),
            "finding_form": forms.get("finding_form") or FindingForm(),
            "measure_form": forms.get("measure_form")
            or MeasureForm(inspection=inspection, owners=owners),
            "follow_up_form": forms.get("follow_up_form") or FollowUpPlanForm(instance=inspection),
            "follow_up_done_form": forms.get("follow_up_done_form")
            or FollowUpDoneForm(instance=inspection),
        }
    return context


@viewer
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One review: its details, report, findings, the action plan and its follow-up."""
    inspection = doors.inspection_for(request, pk)
    return render(request, "inspections/detail.html", _detail_context(request, inspection))


def _back(request: HttpRequest, inspection: Inspection, anchor: str) -> HttpResponse:
    url = redirect("inspections:detail", region=request.region.slug, pk=inspection.pk).url
    return redirect(f"{url}#{anchor}")


def _invalid(request: HttpRequest, inspection: Inspection, **forms: Any) -> HttpResponse:
    messages.error(request, _("Uppgifterna sparades inte. Rätta det som är markerat."))
    return render(request, "inspections/detail.html", _detail_context(request, inspection, **forms))


@accepts_upload(lambda: settings.STPROGRAM_REPORT_MAX_BYTES)
@viewer
@require_POST
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the review's report: a PDF by its content, within the size limit."""
    inspection = doors.managed_inspection_for(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # The service checks the bytes (type, size, active content) before storing.
            services.attach_report(inspection, form.cleaned_data["rapport"], request.user)
        except ValidationError as error:
            form.add_error("rapport", error)
    if not form.is_valid():
        return _invalid(request, inspection, report_form=form)
    messages.success(request, _("Rapporten är uppladdad."))
    return _back(request, inspection, "report-heading")


@viewer
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """The report, to those who may see the unit's reviews; every download is logged."""
    inspection = doors.inspection_for(request, pk)
    if not inspection.report:
        raise Http404
    AccessLog.record(request, AccessLog.Kind.DOWNLOAD, f"Granskningsrapport {inspection.pk}")
    response = FileResponse(
        inspection.report.open("rb"),
        as_attachment=True,
        filename=inspection.report_name or "rapport.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@viewer
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = doors.managed_inspection_for(request, pk)
    form = FindingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, inspection, finding_form=form)
    services.add_finding(inspection, form.instance, request.user)
    messages.success(request, _("Fyndet är sparat."))
    return _back(request, inspection, "findings-heading")


@viewer
@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = doors.managed_inspection_for(request, pk)
    owners = doors.measure_owners(inspection.unit)
    form = MeasureForm(request.POST, inspection=inspection, owners=owners)
    if not form.is_valid():
        return _invalid(request, inspection, measure_form=form)
    services.add_measure(inspection, form.instance, request.user)
    messages.success(request, _("Åtgärden är sparad. Den ansvarige får påminnelser."))
    return _back(request, inspection, "plan-heading")


@viewer
@require_POST
def measure_done(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    inspection = doors.inspection_for(request, pk)
    measure = get_object_or_404(
        InspectionMeasure, pk=measure_pk, inspection=inspection, done_on__isnull=True
    )
    if not doors.may_mark_measure_done(request, measure):
        raise PermissionDenied
    services.measure_done(measure, request.user, timezone.localdate())
    messages.success(request, _("Åtgärden är markerad som klar."))
    return _back(request, inspection, "plan-heading")


@viewer
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The head of unit approves the review's action plan."""
    inspection = doors.inspection_for(request, pk)
    if not doors.may_approve_plan(request, inspection.unit):
        raise PermissionDenied
    if not inspection.measures.exists():
        messages.error(request, _("Handlingsplanen har inga åtgärder att godkänna."))
        return _back(request, inspection, "plan-heading")
    services.approve_plan(inspection, request.user)
    messages.success(request, _("Handlingsplanen är godkänd."))
    return _back(request, inspection, "plan-heading")


@viewer
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Set when the action plan is followed up, or record the follow-up's outcome."""
    inspection = doors.managed_inspection_for(request, pk)
    if request.POST.get("steg") == "genomford":
        form = FollowUpDoneForm(request.POST, instance=inspection)
        key = "follow_up_done_form"
    else:
        form = FollowUpPlanForm(request.POST, instance=inspection)
        key = "follow_up_form"
    if not form.is_valid():
        inspection.refresh_from_db()
        return _invalid(request, inspection, **{key: form})
    services.save_follow_up(form.instance, request.user)
    messages.success(request, _("Uppföljningen är sparad."))
    return _back(request, inspection, "follow-up-heading")


@viewer
@require_POST
def self_assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a new self-assessment occasion (or the unit's unfinished one)."""
    unit = doors.managed_unit_for(request, pk)
    assessment = services.start_self_assessment(unit, request.user)
    return redirect("inspections:self_assessment", region=request.region.slug, pk=assessment.pk)


@viewer
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in the questionnaire (save as draft or complete), or read a completed one."""
    assessment = doors.self_assessment_for(request, pk)
    manage = doors.may_manage_unit(request, assessment.unit)
    editable = manage and assessment.completed_on is None
    form = SelfAssessmentForm(
        request.POST if editable and request.POST else None, assessment=assessment
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        complete = "slutfor" in request.POST
        if form.is_valid() and (not complete or form.check_complete()):
            services.save_answers(
                assessment, form.answers(), request.user, complete=complete, on=timezone.localdate()
            )
            if complete:
                messages.success(
                    request,
                    _("Självvärderingen är slutförd och räknas som enhetens självvärdering."),
                )
            else:
                messages.success(request, _("Svaren är sparade. Du kan fortsätta senare."))
            return redirect(
                "inspections:self_assessment", region=request.region.slug, pk=assessment.pk
            )
        messages.error(request, _("Självvärderingen sparades inte. Rätta det som är markerat."))
    context = {
        "assessment": assessment,
        "unit": assessment.unit,
        "form": form,
        "editable": editable,
        "comparison": selectors.comparison(assessment),
    }
    return render(request, "inspections/self_assessment.html", context)


@viewer
def pack_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-inspection pack, drawn from the records today."""
    unit = doors.unit_or_404(request, pk)
    return render(
        request,
        "inspections/pack.html",
        {"pack": inspection_pack.build(unit, timezone.localdate()), "unit": unit},
    )


@viewer
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same pack as a PDF to send to the reviewers (one unit renders in the request)."""
    unit = doors.unit_or_404(request, pk)
    today = timezone.localdate()
    html = render_to_string(
        "inspections/pack_pdf.html",
        {"pack": inspection_pack.build(unit, today), "unit": unit},
        request=request,
    )
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    name = f"granskningsunderlag-{unit.pk}-{today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
