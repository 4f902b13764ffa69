"""Region pages: the landing dispatch and the staff overviews."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from inspections.models import InspectionMeasure
from obligations import regional_metrics as metrics
from obligations import snapshot, start_counts
from obligations.head_of_unit import owned_codes, owned_duties
from obligations.labels import code_label
from obligations.unit_reviews import countdowns
from regions.context_processors import ROLE_PAGES
from regions.models import UNIT_STAFF_ROLES, Membership, Role, Unit
from regions.rules.profile import load_profile
from regions.selectors import primary_role, units_for_role, visible_units
from stprogram.decorators import region_member, role_required
from supervision.models import ActionPlan
from trainees.models import Trainee
from trainees.permissions import may_administer
from trainees.selectors import trainees_visible_to, units_with_counts, with_people


@region_member
def region_home(request: HttpRequest) -> HttpResponse:
    """Land on the page of the user's primary role in this region."""
    role = primary_role(request.roles)
    if role is None:
        return redirect("trainees:guest_rotations", region=request.region.slug)
    url_name = next(name for r, name, _label in ROLE_PAGES if r == role)
    return redirect(url_name, region=request.region.slug)


@role_required(Role.HEAD_OF_UNIT)
def head_of_unit(request: HttpRequest) -> HttpResponse:
    """The head of unit's units: trainees, supervisors and the countdowns to the next reviews."""
    units = list(units_with_counts(units_for_role(request.memberships, Role.HEAD_OF_UNIT)))
    reviews = countdowns(request.region, units, timezone.localdate())
    rows = [{"unit": u, "reviews": reviews[u.pk]} for u in units]
    plans = (
        ActionPlan.objects.filter(closed_on__isnull=True, trainee__home_unit__in=units)
        .select_related("trainee__user", "trainee__home_unit")
        .order_by("follow_up_on", "pk")
    )
    measures = (
        InspectionMeasure.objects.filter(done_on__isnull=True, inspection__unit__in=units)
        .select_related("inspection__unit", "finding", "owner")
        .order_by("due", "pk")
    )
    profile = load_profile(request.region.slug)
    context = {
        "units": units,
        "rows": rows,
        "plans": plans,
        "measures": measures,
        "owned_codes": [code_label(code) for code in owned_codes(profile)],
        "duties": owned_duties(profile, units, timezone.localdate()),
    }
    at_units = Trainee.objects.filter(home_unit__in=units)
    context["tallies"] = start_counts.staff_tallies(
        request, at_units, units, timezone.localdate(), anchor="#units"
    )
    return render(request, "regions/head_of_unit.html", context)


@role_required(Role.REGIONAL_STUDY_DIRECTOR, Role.REGIONAL_ADMIN)
def regional(request: HttpRequest) -> HttpResponse:
    """The region at a glance: yearly measures, compliance per unit and over time, people."""
    today = timezone.localdate()
    units = list(units_with_counts(Unit.objects.select_related("specialty")))
    # Both from the snapshot alone: cached together until a record of the region changes.
    compliance, months = snapshot.cached(
        request.region.pk,
        "compliance",
        (today,),
        lambda: (metrics.unit_compliance(today), metrics.compliance_by_month(today)),
    )
    rows = [(u, _share(*compliance.get(u.pk, (0, 0)))) for u in units]
    rows.sort(key=lambda r: (r[1] is None, (r[1] or {}).get("percent", 0), r[0].name))
    role_counts = Membership.objects.values("role").annotate(n=Count("user", distinct=True))
    labels = dict(Role.choices)
    roles = [{"label": labels[row["role"]], "n": row["n"]} for row in role_counts]
    context = {
        "units": units,
        "unit_rows": _unit_rows(request.region.slug, rows),
        "roles": roles,
        "measures": metrics.yearly_measures(load_profile(request.region.slug), today),
        "months": months,
        "chart": metrics.compliance_chart(months),
        "may_enrol": may_administer(request),
    }
    everyone = trainees_visible_to(request.user, request.memberships).select_related(
        "user", "home_unit", "specialty"
    )
    context["tallies"] = start_counts.staff_tallies(request, everyone, units, today)
    return render(request, "regions/regional.html", context)


def _unit_rows(region: str, rows: list[tuple[Unit, dict[str, int] | None]]) -> SafeString:
    """The region's units as table rows, written in Python: 300 rows as template
    nodes (a reverse() and a dozen lookups each) were a fifth of the page."""
    unit_url = reverse("regions:unit_detail", kwargs={"region": region, "pk": 0})
    unit_url = unit_url.removesuffix("0/")
    return format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}{}/">{}</a></th><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        (
            (
                unit_url,
                unit.pk,
                unit.name,
                unit.trainee_count,
                unit.supervisor_count,
                format_html(
                    '{} % <span class="hint">({}/{})</span>',
                    share["percent"],
                    share["on_time"],
                    share["due"],
                )
                if share
                else "–",
            )
            for unit, share in rows
        ),
    )


def _share(on_time: int, due: int) -> dict[str, int] | None:
    return {"percent": round(100 * on_time / due), "on_time": on_time, "due": due} if due else None


@role_required(*UNIT_STAFF_ROLES)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit: only for its study directors and heads of unit, and regional roles."""
    unit = get_object_or_404(visible_units(request), pk=pk)
    trainees = with_people(trainees_visible_to(request.user, request.memberships)).filter(
        home_unit=unit
    )
    supervisors = Membership.objects.filter(unit=unit, role=Role.SUPERVISOR).select_related("user")
    return render(
        request,
        "regions/unit_detail.html",
        {"unit": unit, "trainees": trainees, "supervisors": supervisors},
    )
