"""Certificate drafts: the list, a preview in the browser, PDFs, and the application packet."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from assessments.permissions import goal_doors
from regions.models import Role
from stprogram.decorators import region_member, role_required
from stprogram.models import AccessLog
from stprogram.request_limits import accepts_upload
from trainees.certificates.official import install, installed
from trainees.certificates.packets import OPEN, packet_kinds, packet_request
from trainees.certificates.readiness import readiness_for
from trainees.certificates.registry import FORMS_2015, FORMS_2021
from trainees.certificates.render import certificate_pdf, draft_html
from trainees.forms import ExternalAssessorForm
from trainees.models import CertificatePacket, Trainee
from trainees.permissions import (
    draft_for,
    is_owner,
    may_edit,
    may_name_external_assessor,
    may_see_draft,
    may_see_external_assessor,
    may_see_packets,
    trainee_for,
)
from trainees.selectors import external_assessor_of
from trainees.services import external_assessor_record

# Gaps fixed on a form that only those who may change the records reach.
EDITING_PAGES = (
    "trainees:rotation_new",
    "trainees:activity_new",
    "trainees:absence_new",
    "trainees:iup_edit",
    "supervision:meeting_new",
)


def _gap_links(request: HttpRequest, trainee: Trainee, checks: list, drafts: list) -> set[str]:
    """The gaps' addresses this viewer may open, by the doors of the pages behind them.

    A gap is shown to whoever sees the readiness check; its link only to those
    the page it leads to lets through, so nobody follows it into a 403.
    """
    editing, doors = may_edit(request, trainee), goal_doors(trainee, request.user)
    keys = {d.key for d in drafts}
    linkable = set()
    for gap in (g for check in checks for g in check.gaps):
        match = resolve(urlsplit(gap.url).path)
        name, kwargs = match.view_name, match.kwargs
        if name in EDITING_PAGES:
            allowed = editing
        elif name == "assessments:signoff":
            allowed = doors.may_sign(kwargs["goal"])
        elif name in ("trainees:certificate", "trainees:certificate_pdf"):
            allowed = kwargs["key"] in keys
        elif name == "trainees:external_assessor":
            allowed = may_see_external_assessor(request, trainee)
        else:
            allowed = True
        if allowed:
            linkable.add(gap.url)
    return linkable


def _log(request: HttpRequest, trainee: Trainee, what: str) -> None:
    AccessLog.record(request, AccessLog.Kind.PERSONNUMMER, f"{what}, ST-läkare {trainee.pk}")


@vary_on_headers("HX-Request")
@region_member
def certificate_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The drafts the viewer may see, and the trainee's application packets."""
    trainee = trainee_for(request, pk)
    show_packets = may_see_packets(request, trainee)
    packets = list(CertificatePacket.objects.filter(trainee=trainee)[:10]) if show_packets else []
    context = {
        "trainee": trainee,
        "packets": packets,
        "polling": any(p.status in OPEN for p in packets),
        "is_owner": is_owner(request, trainee),
        "kinds": [(k, CertificatePacket.Kind(k).label) for k in packet_kinds(trainee)],
    }
    if request.htmx:
        if not show_packets:
            raise PermissionDenied
        return render(request, "certificates/list.html#packets", context)
    drafts, checks = readiness_for(trainee)
    context["checks"] = checks if show_packets else []
    context["drafts"] = [d for d in drafts if may_see_draft(request, trainee, d)]
    context["linkable"] = _gap_links(request, trainee, context["checks"], context["drafts"])
    if not context["drafts"] and not show_packets:
        # A colleague who may see the trainee but is named on nothing here.
        raise PermissionDenied
    return render(request, "certificates/list.html", context)


@region_member
def certificate_preview(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The filled form in the browser; the personnummer in full only for the trainee (logged)."""
    trainee, draft = draft_for(request, pk, key)
    owner = is_owner(request, trainee)
    if owner:
        _log(request, trainee, f"Intygsutkast {draft.key} (förhandsvisning)")
    toolbar = render_to_string(
        "certificates/_toolbar.html", {"trainee": trainee, "draft": draft}, request=request
    )
    html = draft_html(trainee, draft, full_personnummer=owner, pdf=False, toolbar=toolbar)
    return HttpResponse(html)


@region_member
def certificate_download(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One draft as PDF, rendered in the request; every download is logged."""
    trainee, draft = draft_for(request, pk, key)
    _log(request, trainee, f"Intygsutkast {draft.key} (PDF)")
    response = HttpResponse(certificate_pdf(trainee, draft), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="intyg-{draft.form.key}-{draft.key}.pdf"'
    return response


@require_POST
@region_member
def packet_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee asks for the whole application as one PDF; the worker renders it."""
    trainee = trainee_for(request, pk)
    if not is_owner(request, trainee):
        raise PermissionDenied
    try:
        packet_request(trainee=trainee, kind=request.POST.get("kind", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Ansökan med bilagor skapas. Sidan visar när den är klar."))
    return redirect("trainees:certificates", region=request.region.slug, pk=trainee.pk)


@region_member
def packet_download(request: HttpRequest, pk: int, packet_pk: int) -> FileResponse:
    """A finished packet, for the trainee and the staff responsible for them; logged."""
    trainee = trainee_for(request, pk)
    if not may_see_packets(request, trainee):
        raise PermissionDenied
    packet = get_object_or_404(
        CertificatePacket, trainee=trainee, pk=packet_pk, status=CertificatePacket.Status.READY
    )
    _log(request, trainee, f"Intygspaket {packet.pk}")
    return FileResponse(
        packet.file.open("rb"),
        content_type="application/pdf",
        filename=f"ansokan-{packet.kind}-{packet.pk}.pdf",
    )


def _assessor_door(request: HttpRequest, pk: int) -> tuple[Trainee, bool]:
    """The BT trainee and whether the viewer may name the assessor; 404 unseen, 403 others.

    The trainee sees the assessor (they are named on the trainee's certificate)
    but does not set it: the assessor is appointed by the training's responsible
    parties (main supervisor, study director), not by the person assessed.
    """
    trainee = trainee_for(request, pk)
    if not trainee.bt_end:
        raise Http404
    may_name = may_name_external_assessor(request, trainee)
    if not may_see_external_assessor(request, trainee):
        raise PermissionDenied
    if request.method == "POST" and not may_name:
        raise PermissionDenied
    return trainee, may_name


@region_member
def external_assessor(request: HttpRequest, pk: int) -> HttpResponse:
    """The external assessor on the basic-competence certificate (HSLF-FS 2021:8 bilaga 4)."""
    trainee, may_name = _assessor_door(request, pk)
    current = external_assessor_of(trainee)
    initial = {f: getattr(current, f) for f in ExternalAssessorForm.base_fields} if current else {}
    form = ExternalAssessorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            external_assessor_record(trainee=trainee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Den externa bedömaren är sparad."))
            return redirect("trainees:certificates", region=request.region.slug, pk=trainee.pk)
    context = {"trainee": trainee, "current": current, "form": form, "may_name": may_name}
    return render(request, "certificates/external_assessor.html", context)


# Large enough for the biggest official form (about 2.5 MB), small enough to refuse junk.
MAX_FORM_BYTES = 5 * 1024 * 1024


@accepts_upload(lambda: MAX_FORM_BYTES)
@role_required(Role.REGIONAL_ADMIN)
def official_forms(request: HttpRequest) -> HttpResponse:
    """Socialstyrelsen's blank forms: which are installed, and an upload for a new one.

    The forms are national and recognised by their hash, so a form installed
    here is the same file every region would install; nothing regional is stored.
    """
    if request.method == "POST":
        upload = request.FILES.get("form")
        if upload is None or upload.size > MAX_FORM_BYTES:
            messages.error(request, _("Välj en PDF-fil med en av Socialstyrelsens blanketter."))
        else:
            try:
                done = install(content=upload.read())
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Installerad: %(form)s (%(title)s).")
                    % {"form": done.form.footer, "title": done.form.title},
                )
        return redirect("trainees:official_forms", region=request.region.slug)
    rows = [(spec, installed(spec.key) is not None) for spec in (*FORMS_2021, *FORMS_2015)]
    return render(request, "certificates/official_forms.html", {"rows": rows})
