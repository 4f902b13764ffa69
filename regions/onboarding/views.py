"""The regional administrator's bulk onboarding: upload, dry run, confirm, follow the run."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from regions.models import Role
from regions.onboarding import template
from regions.onboarding.forms import MAX_FILE_BYTES, MAX_FILES, OnboardingForm
from regions.onboarding.invitations import invitations_waiting
from regions.onboarding.models import OnboardingImport
from regions.onboarding.plan import REFUSE
from regions.onboarding.progress import progress_read
from regions.onboarding.services import onboarding_check, onboarding_confirm
from stprogram.decorators import role_required
from stprogram.request_limits import accepts_upload

ADMIN = Role.REGIONAL_ADMIN
RUNNING = (OnboardingImport.Status.PENDING, OnboardingImport.Status.RUNNING)


def onboarding_for(request: HttpRequest, pk: int) -> OnboardingImport:
    """The import, if it is this region's; 404 otherwise (the one door to an import)."""
    return get_object_or_404(OnboardingImport.objects.select_related("uploaded_by"), pk=pk)


@accepts_upload(lambda: MAX_FILE_BYTES * MAX_FILES)
@role_required(ADMIN)
def onboarding(request: HttpRequest) -> HttpResponse:
    """Upload the files; the answer is the dry run, row by row, and a confirm button."""
    form = OnboardingForm(request.POST or None, request.FILES or None)
    context = {"form": form, "recent": OnboardingImport.objects.all()[:10]}
    if request.method == "POST" and form.is_valid():
        try:
            plan, checked = onboarding_check(
                region=request.region, by=request.user, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            form.add_error(None, _("Ingenting lästes in."))
            for message in error.messages:
                form.add_error(None, message)
        else:
            results = sorted(plan.results, key=lambda r: r.action != REFUSE)
            context.update(plan=plan, results=results, counts=plan.counts(), checked=checked)
    return render(request, "regions/onboarding.html", context)


@role_required(ADMIN)
@require_POST
def onboarding_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a checked import: the worker runs it, all of it or nothing."""
    found = onboarding_for(request, pk)
    if onboarding_confirm(onboarding=found, by=request.user):
        messages.success(request, _("Inläsningen är bekräftad och körs i bakgrunden."))
    return redirect("regions:onboarding_status", region=request.region.slug, pk=found.pk)


@vary_on_headers("HX-Request")
@role_required(ADMIN)
def onboarding_status(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the run has come; polled by htmx, refreshed by the page itself without it."""
    found = onboarding_for(request, pk)
    running = found.status in RUNNING
    share = progress_read(found.pk) if running else None
    sent, owed = invitations_waiting(found.pk)
    context = {
        "onboarding": found,
        "running": running,
        "percent": round((share or 0) * 100) if running else 100,
        "sent": sent,
        "owed": owed,
    }
    if request.htmx:
        return render(request, "regions/onboarding_status.html#progress", context)
    return render(request, "regions/onboarding_status.html", context)


@role_required(ADMIN)
def onboarding_template_xlsx(request: HttpRequest) -> HttpResponse:
    """The template workbook: the three tables' headers and how to fill them in."""
    return template.xlsx_template()


@role_required(ADMIN)
def onboarding_template_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table's template as CSV (enheter, personal or st-lakare)."""
    found = template.table_by_csv_name(table)
    if found is None:
        raise Http404
    return template.csv_template(table, found)
