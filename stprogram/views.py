"""Pages outside any region: the entry point and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from regions.selectors import regions_of
from stprogram import health


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their region, or let them choose when they have several."""
    regions = list(regions_of(request.user))
    if len(regions) == 1:
        return redirect("regions:home", region=regions[0].slug)
    return render(request, "choose_region.html", {"regions": regions})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The database is reachable and the scheduler's last beat is recent; 503 when it is not."""
    healthy, figures = health.report()
    return JsonResponse(figures, status=200 if healthy else 503)
