"""Pages outside any region: the entry point, the health check, a busy database."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.http import require_GET

from stprogram import health
from stprogram.cache import DATABASE_LOCKED
from trainees.selectors import regions_of


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


# Seconds a client is asked to wait when the database is busy; SQLite's own
# wait (the connection's timeout) has already passed by then.
BUSY_RETRY_AFTER = 10


def is_database_locked(exc: BaseException | None) -> bool:
    """Whether the error is, or arose from, SQLite's "database is locked".

    The session store reports its failed save as an UpdateError (then a 400,
    SessionInterrupted); the lock is further down the chain.
    """
    while exc is not None:
        if isinstance(exc, OperationalError) and DATABASE_LOCKED in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def database_busy(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a moment's congestion, not a fault and not a rate limit.

    Rendered without the request's context processors, which would query the
    database that is busy.
    """
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a locked database (also from a middleware's write) is a 503."""
    if is_database_locked(sys.exc_info()[1]):
        return database_busy(request)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a session that could not be saved for the lock is a 503 too."""
    if is_database_locked(exception):
        return database_busy(request)
    return defaults.bad_request(request, exception)
