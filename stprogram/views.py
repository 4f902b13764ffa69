"""Pages outside any region: the entry point and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from regions.selectors import regions_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their region, or let them choose when they have several."""
    regions = list(regions_of(request.user))
    if len(regions) == 1:
        return redirect("regions:home", region=regions[0].slug)
    return render(request, "choose_region.html", {"regions": regions})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
