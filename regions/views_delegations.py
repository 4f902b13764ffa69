"""The study director's deputies: name one for a period, see them, end one early."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions import delegations
from regions.forms_delegations import DelegationForm
from regions.models import Delegation, Role
from regions.permissions import delegation_for, may_delegate, units_to_delegate
from stprogram.decorators import role_required


@role_required(Role.STUDY_DIRECTOR)
def delegation_list(request: HttpRequest) -> HttpResponse:
    """The delegations the study director has given, and the form for a new one."""
    if not may_delegate(request):
        # A deputy acts in the role but does not pass it on.
        raise PermissionDenied
    form = DelegationForm(request.POST or None, user=request.user, units=units_to_delegate(request))
    if request.method == "POST" and form.is_valid():
        try:
            delegations.delegation_create(
                region=request.region, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Delegeringen är sparad."))
            return redirect("regions:delegations", region=request.region.slug)
    given = (
        Delegation.objects.filter(delegator=request.user)
        .select_related("deputy")
        .prefetch_related("units")
        .order_by("-start", "-pk")
    )
    context = {"form": form, "delegations": given, "today": timezone.localdate()}
    return render(request, "regions/delegations.html", context)


@require_POST
@role_required(Role.STUDY_DIRECTOR)
def delegation_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a delegation now; the deputy loses the role at once."""
    delegation = delegation_for(request, pk)
    try:
        delegations.delegation_end(delegation=delegation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Delegeringen är avslutad."))
    return redirect("regions:delegations", region=request.region.slug)
