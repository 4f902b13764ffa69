"""The region's yearly measures, per-unit compliance and compliance over time.

All figures are aggregates over the obligation snapshot and a few tables, so
the page costs a fixed number of queries whatever the region's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from inspections.models import Inspection
from regions.models import ObligationStatus, Unit
from regions.rules.profile import Profile
from supervision.models import Assignment, SupervisorTraining
from trainees.models import Trainee

ON_TIME = Q(done_on__isnull=False, done_on__lte=F("due"))


@dataclass(frozen=True)
class Measure:
    text: str
    target: int
    actual: int | None
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def yearly_measures(
    profile: Profile, on: date, only: Collection[str] | None = None
) -> list[Measure]:
    """The profile's yearly metrics (Blekinge's six) with target and actual; region active.

    `only` keeps the named metrics, as the reviews page shows the two about reviews.
    """
    section = next((i for i in profile.info if i.key == "yearly_metrics"), None)
    if section is None:
        return []
    rows = [row for row in section.rows if only is None or row["metric"] in only]
    return [_measure(str(row["metric"]), row, on) for row in rows]


def _measure(metric: str, row: dict, on: date) -> Measure:
    text, target = str(row["text_sv"]), int(row["target_percent"])
    counts = _COUNTERS.get(metric)
    if counts is None:
        note = _(
            "Uppgiften finns inte i systemet: avslut och anställning efter ST registreras inte."
        )
        return Measure(text, target, None, note=note)
    part, whole = counts(on)
    return Measure(text, target, _percent(part, whole), part, whole)


def _contracts(on: date) -> tuple[int, int]:
    """Trainees in training with the contract obligation fulfilled."""
    current = Trainee.objects.filter(start_date__lte=on).values("pk")
    rows = ObligationStatus.objects.filter(code="contract", trainee_id__in=current)
    return rows.filter(done_on__isnull=False).count(), current.count()


def _trained_main_supervisors(on: date) -> tuple[int, int]:
    """Main supervisors in office today who have taken the basic supervisor course."""
    active = Assignment.objects.filter(role="main_supervisor", start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    # As subqueries: the region's main supervisors as a list of ids cost a
    # parameter each (hundreds at national scale).
    people = active.values("user_id")
    trained = SupervisorTraining.objects.filter(
        user_id__in=people, kind="supervisor_training_basic", date__lte=on
    )
    return (
        trained.values("user_id").distinct().count(),
        people.distinct().order_by().count(),
    )


def _units_reviewed(kind: str, years: int) -> object:
    def count(on: date) -> tuple[int, int]:
        # Exists, not a join made distinct: that compared every column of every unit.
        has_trainees = Exists(Trainee.objects.filter(home_unit=OuterRef("pk")))
        units = Unit.objects.filter(Q(first_trainee_start__isnull=False) | has_trainees)
        since = on - relativedelta(years=years)
        reviewed = Inspection.objects.filter(
            kind=kind, performed_on__gt=since, performed_on__lte=on, unit__in=units
        )
        return reviewed.values("unit_id").distinct().count(), units.count()

    return count


_COUNTERS = {
    "written_contracts": _contracts,
    "main_supervisors_trained": _trained_main_supervisors,
    "units_stins_last_3_years": _units_reviewed("self_assessment", 3),
    "units_external_review_last_5_years": _units_reviewed("external_inspection", 5),
}


def unit_compliance(on: date) -> dict[int, tuple[int, int]]:
    """Per home unit: (obligations done on time, obligations due before `on`)."""
    rows = (
        ObligationStatus.objects.filter(due__lt=on)
        .values("trainee__home_unit_id")
        .annotate(due_count=Count("pk"), on_time=Count("pk", filter=ON_TIME))
    )
    return {r["trainee__home_unit_id"]: (r["on_time"], r["due_count"]) for r in rows}


@dataclass(frozen=True)
class Month:
    month: date
    due: int
    on_time: int

    @property
    def percent(self) -> int | None:
        return _percent(self.on_time, self.due)


def compliance_by_month(on: date, months: int = 12) -> list[Month]:
    """Each of the last `months` months: obligations due then, and how many were done on time."""
    first = (on - relativedelta(months=months - 1)).replace(day=1)
    # Grouped by day and summed by month here: SQLite truncates dates to months in
    # Python, once per row, which took a quarter of the region page at 2,000 trainees.
    rows = (
        ObligationStatus.objects.filter(due__gte=first, due__lt=on)
        .values("due")
        .annotate(due_count=Count("pk"), on_time=Count("pk", filter=ON_TIME))
    )
    found: defaultdict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals = found[row["due"].replace(day=1)]
        totals[0] += row["due_count"]
        totals[1] += row["on_time"]
    result = []
    for index in range(months):
        month = first + relativedelta(months=index)
        due, on_time = found.get(month, (0, 0))
        result.append(Month(month, due, on_time))
    return result


def compliance_chart(months: list[Month]) -> SafeString:
    """A bar chart (SVG) of the monthly share done on time; the page has the data as a table too."""
    width, height, left, bottom = 640, 220, 40, 30
    slot = (width - left) / max(len(months), 1)
    title = escape(_("Andel skyldigheter klara i tid per månad"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{title}</title>',
    ]
    for percent in (0, 50, 100):
        y = height - bottom - percent * (height - bottom - 10) / 100
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" class="chart__grid"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{percent} %</text>')
    for index, month in enumerate(months):
        x = left + index * slot + slot * 0.15
        label = escape(date_format(month.month, "M"))
        if month.percent is not None:
            bar = month.percent * (height - bottom - 10) / 100
            y = height - bottom - bar
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
                f'class="chart__bar"/>'
            )
        if month.percent == 0:
            # A month where nothing was done on time is a bar of zero height: say 0 %.
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom - 6}" text-anchor="middle" '
                f'class="chart__zero">0 %</text>'
            )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" text-anchor="middle">{label}</text>'
        )
    parts.append("</svg>")
    # Safe to mark: the only texts are escaped above; the rest are numbers.
    return mark_safe("".join(parts))
