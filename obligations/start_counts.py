"""The counts each role's start page begins with ("who needs me?"), with links to their lists.

Kept apart from the views so that a start page gains its counts with one
call; the counting itself is in obligations.attention and obligations.review_attention.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from obligations import dashboard, snapshot
from obligations.attention import Tally, due_soon_count, overdue_must_count
from obligations.review_attention import reviews_due_unplanned
from regions.models import UNIT_STAFF_ROLES, Role, Unit
from trainees.models import Trainee

DASHBOARD_ROLES = {Role.STUDY_DIRECTOR, Role.REGIONAL_STUDY_DIRECTOR}


def _matrix(request: HttpRequest, status: str) -> str | None:
    """The study director's matrix narrowed to `status`, for those who may open it."""
    if not request.roles & DASHBOARD_ROLES:
        return None
    url = reverse("regions:study_director", kwargs={"region": request.region.slug})
    return f"{url}?status={status}#matrix"


def trainee_tallies(
    request: HttpRequest, trainees: QuerySet[Trainee], on: date, *, anchor: str | None = None
) -> list[Tally]:
    """Overdue musts and things due within 30 days; to `anchor` on the page, or to the matrix."""
    overdue = anchor or _matrix(request, "overdue_must")
    soon = anchor or _matrix(request, "due_soon")
    return [
        Tally(_("ST-läkare med försenat ska-krav"), overdue_must_count(trainees, on), overdue),
        Tally(
            _("ST-läkare med något som förfaller inom 30 dagar"),
            due_soon_count(trainees, on),
            soon,
            "warn",
        ),
    ]


def at_risk_tally(
    request: HttpRequest, trainees: QuerySet[Trainee], on: date, *, anchor: str | None = None
) -> Tally:
    """Trainees at risk, as the study director's risk list ranks them (cached with it)."""
    ranking = snapshot.cached(
        request.region.pk,
        "risks",
        (snapshot.selection_key(trainees), on, get_language()),
        lambda: dashboard.rank_risks(trainees, on),
    )
    url = anchor
    if anchor is None and request.roles & DASHBOARD_ROLES:
        url = reverse("regions:study_director_risks", kwargs={"region": request.region.slug})
    return Tally(_("ST-läkare i riskzonen"), ranking.total, url)


def review_tally(request: HttpRequest, units: list[Unit], on: date) -> Tally:
    """Units with a review due within 90 days and none planned; to the review overview."""
    url = None
    if request.roles & set(UNIT_STAFF_ROLES):
        url = reverse("inspections:overview", kwargs={"region": request.region.slug})
    n = reviews_due_unplanned(request.region, units, on)
    return Tally(_("Granskningar inom 90 dagar som inte är planerade"), n, url)


def staff_tallies(
    request: HttpRequest, trainees: QuerySet[Trainee], units: list[Unit], on: date, **kw: str
) -> list[Tally]:
    """The four counts of a study director's, head of unit's or the region's start page."""
    overdue, soon = trainee_tallies(request, trainees, on, **kw)
    return [
        overdue,
        at_risk_tally(request, trainees, on, **kw),
        soon,
        review_tally(request, units, on),
    ]


def supervisor_tallies(
    request: HttpRequest, trainees: QuerySet[Trainee], queue: Any
) -> list[Tally]:
    """A supervisor's counts: their trainees' needs (to the list below) and what waits for them."""
    on = timezone.localdate()
    overdue, soon = trainee_tallies(request, trainees, on, anchor="#trainees")
    at_risk = at_risk_tally(request, trainees, on, anchor="#trainees")
    return [overdue, at_risk, soon, Tally(_("Väntar på mig"), queue.total, "#queue", "warn")]
