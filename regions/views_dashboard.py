"""The study director's dashboard: the matrix, its exports and the trainees at risk."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from obligations import dashboard, snapshot, start_counts
from regions.models import Role
from regions.rules.profile import load_profile
from regions.selectors import dashboard_units
from stprogram import exports
from stprogram.decorators import role_required
from supervision.permissions import plannable_trainees
from trainees.models import Trainee
from trainees.selectors import trainees_visible_to, units_with_counts

# The unit's study director, and the regional one over every unit of the region.
DASHBOARD_ROLES = (Role.STUDY_DIRECTOR, Role.REGIONAL_STUDY_DIRECTOR)


def _scope(request: HttpRequest) -> tuple[dashboard.FilterForm, QuerySet[Trainee]]:
    """The filter form and the filtered trainees this study director may see, unordered.

    `trainees_visible_to` gives a regional study director the whole region,
    as `dashboard_units` gives them every unit to filter by.
    """
    units = dashboard_units(request.memberships)
    form = dashboard.FilterForm(request.GET or None, units)
    visible = trainees_visible_to(request.user, request.memberships).select_related(
        "user", "home_unit", "specialty"
    )
    return form, dashboard.filtered(visible, form, timezone.localdate())


def _selection_query(request: HttpRequest) -> str:
    """The filters and sorting as a query string, without the page number."""
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


@role_required(*DASHBOARD_ROLES)
@vary_on_headers("HX-Request")
def study_director(request: HttpRequest) -> HttpResponse:
    """Trainees × obligations with filters, the trainees at risk, and the units."""
    today = timezone.localdate()
    form, trainees = _scope(request)
    ordered = dashboard.ordered(trainees, form, today)
    paginator = dashboard.SelectionPaginator(ordered, dashboard.PAGE_SIZE, trainees)
    page = paginator.get_page(request.GET.get("sida"))
    by_trainee = dashboard.cells([t.pk for t in page], today)
    columns = dashboard.columns(load_profile(request.region.slug))
    memo: dict[str, str] = {}
    rows = [
        {
            "trainee": t,
            "cells": dashboard.cells_html(
                [by_trainee.get(t.pk, {}).get(code) for code, _label in columns], memo
            ),
        }
        for t in page
    ]
    context = {
        "form": form,
        "columns": columns,
        "rows": rows,
        "page": page,
        "query": _selection_query(request),
        "today": today,
    }
    if request.htmx:
        # A new selection from the filters also renews the risk list (out of band).
        context["renew_risks"] = request.htmx.trigger == "filters"
        return render(request, "regions/study_director.html#matrix", context)
    everyone = trainees_visible_to(request.user, request.memberships)
    context["hours"] = dashboard.study_director_hours(
        load_profile(request.region.slug), everyone.count()
    )
    # The same queryset as an unfiltered `_scope`, so the risk count shares the risk list's cache.
    everyone = everyone.select_related("user", "home_unit", "specialty")
    units = list(dashboard_units(request.memberships))
    context["tallies"] = start_counts.staff_tallies(request, everyone, units, today)
    return render(request, "regions/study_director.html", context)


@role_required(*DASHBOARD_ROLES)
@vary_on_headers("HX-Request")
def study_director_risks(request: HttpRequest) -> HttpResponse:
    """The selection's trainees at risk, with every reason.

    A page of its own that the dashboard loads when scrolled into view (and a
    plain link without JavaScript): counting the reasons goes through every
    obligation of the selection, thousands of rows for a region-wide study
    director, and the matrix should not wait for it.
    """
    _form, trainees = _scope(request)
    today = timezone.localdate()
    ranking = snapshot.cached(
        request.region.pk,
        "risks",
        (snapshot.selection_key(trainees), today, get_language()),
        lambda: dashboard.rank_risks(trainees, today),
    )
    risks = dashboard.people_at_risk(ranking)
    context = {
        "risks": risks,
        "plannable": plannable_trainees(request.user, [r.trainee for r in risks.shown]),
        "query": _selection_query(request),
    }
    if request.htmx:
        return render(request, "regions/study_director_risks.html#risks", context)
    return render(request, "regions/study_director_risks.html", context)


@role_required(*DASHBOARD_ROLES)
def study_director_units(request: HttpRequest) -> HttpResponse:
    """The study director's units with their numbers of trainees and supervisors.

    A page of its own that the dashboard loads when scrolled into view: a
    region-wide study director has hundreds of units.
    """
    units = units_with_counts(dashboard_units(request.memberships))
    return render(request, "regions/study_director_units.html", {"units": units})


@role_required(*DASHBOARD_ROLES)
def study_director_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered matrix as CSV or XLSX: every row, not just the page."""
    today = timezone.localdate()
    form, trainees = _scope(request)
    table = dashboard.export_table(
        list(dashboard.ordered(trainees, form, today)),
        dashboard.columns(load_profile(request.region.slug)),
        today,
    )
    name = f"st-{request.region.slug}-{today.isoformat()}"
    if fmt == "csv":
        return exports.csv_response(table, filename=name)
    return exports.xlsx_response(table, filename=name, sheet_title=_("ST-läkare"))
