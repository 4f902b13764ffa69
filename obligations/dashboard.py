"""The study director's dashboard: trainees × obligations from the stored snapshot.

Every figure comes from `ObligationStatus` rows and a few aggregates, so a
page costs the same number of queries for 20 trainees or 2,000.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from assessments.models import GoalSignoff, Regulation
from obligations.labels import STATUS_ICONS, STATUS_LABELS, code_label
from regions.models import ObligationStatus, Unit
from regions.rules.engine import STATUS_RANK, status_of
from regions.rules.profile import RATE_CODES, Profile
from regions.selectors import count_per
from supervision.models import SupervisionMeeting
from trainees.models import Absence, Trainee

PAGE_SIZE = 50
RISK_LIMIT = 25
MEETING_GAP = timedelta(weeks=8)
SIGNOFF_GAP = relativedelta(months=6)

SORTS = {
    "namn": ("user__last_name", "user__first_name", "pk"),
    "enhet": ("home_unit__name", "user__last_name", "pk"),
    "start": ("start_date", "pk"),
    "forsenade": ("-overdue_count", "user__last_name", "pk"),
}
# The selections behind the start page's counts (obligations.attention), as status filters.
SOON_DAYS = 30
NEEDS = {
    "overdue_must": _("Försenat ska-krav"),
    "due_soon": _("Förfaller inom 30 dagar"),
}


class PlainSelect(forms.Select):
    """A select written in Python rather than one template per option.

    A region-wide study director picks among hundreds of units; Django's
    option templates cost a third of a millisecond each, a tenth of the page.
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class FilterForm(forms.Form):
    """Filters and sort order; the names are the URL's, so a view can be shared."""

    enhet = forms.TypedChoiceField(
        label=_("Enhet"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    specialitet = forms.TypedChoiceField(
        label=_("Specialitet"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    foreskrift = forms.ChoiceField(
        label=_("Föreskrift"), required=False, choices=[("", _("Alla")), *Regulation.choices]
    )
    fas = forms.ChoiceField(
        label=_("BT/ST"),
        required=False,
        choices=[("", _("Alla")), ("BT", _("I BT")), ("ST", _("I ST efter BT"))],
    )
    status = forms.ChoiceField(
        label=_("Har något som är"),
        required=False,
        choices=[("", _("Vad som helst")), *STATUS_LABELS.items(), *NEEDS.items()],
    )
    sortering = forms.ChoiceField(
        label=_("Sortera efter"),
        required=False,
        choices=[
            ("namn", _("Namn")),
            ("enhet", _("Enhet")),
            ("start", _("Startdatum")),
            ("forsenade", _("Flest försenade")),
        ],
    )

    def __init__(self, data: object, units: QuerySet[Unit]) -> None:
        super().__init__(data)
        units = list(units)
        self.fields["enhet"].choices = [("", _("Alla")), *((u.pk, u.name) for u in units)]
        specialties = {u.specialty_id: u.specialty.name for u in units}
        self.fields["specialitet"].choices = [
            ("", _("Alla")),
            *sorted(specialties.items(), key=lambda item: item[1]),
        ]


def filtered(trainees: QuerySet[Trainee], form: FilterForm, on: date) -> QuerySet[Trainee]:
    """Apply the form's filters (an invalid form filters nothing), in no particular order."""
    values = form.cleaned_data if form.is_valid() else {}
    if values.get("enhet"):
        trainees = trainees.filter(home_unit_id=values["enhet"])
    if values.get("specialitet"):
        trainees = trainees.filter(specialty_id=values["specialitet"])
    if values.get("foreskrift"):
        trainees = trainees.filter(regulation=values["foreskrift"])
    if values.get("fas") == "BT":
        trainees = trainees.filter(bt_end__gte=on)
    elif values.get("fas") == "ST":
        trainees = trainees.filter(Q(bt_end__isnull=True) | Q(bt_end__lt=on))
    if values.get("status"):
        rows = ObligationStatus.objects.filter(status_q(values["status"], on))
        trainees = trainees.filter(Exists(rows.filter(trainee_id=OuterRef("pk"))))
    return trainees


def ordered(trainees: QuerySet[Trainee], form: FilterForm, on: date) -> QuerySet[Trainee]:
    """The selection in the form's sort order (by name when none or an invalid one is given).

    Kept apart from `filtered`: the risk list and counts take the bare
    selection, since the count this order needs would slow them down.
    """
    values = form.cleaned_data if form.is_valid() else {}
    sort = values.get("sortering") or "namn"
    if sort == "forsenade":
        # A count per trainee through the trainee index: joining and grouping every
        # status of the selection took three times as long at 2,000 trainees. Unscoped:
        # the outer trainee is already the region's, and the region condition the scoped
        # manager adds makes SQLite (no statistics) scan the region's statuses per trainee.
        overdue = ObligationStatus.unscoped.filter(
            trainee=OuterRef("pk"), done_on__isnull=True, due__lt=on
        )
        trainees = trainees.annotate(overdue_count=count_per(overdue, "trainee"))
    return trainees.order_by(*SORTS[sort])


class SelectionPaginator(Paginator):
    """Pages of the sorted selection, counted on the bare selection.

    Counting the sorted queryset would count over its join and grouping
    (sorting by most overdue needs them); the count is the same without.
    """

    def __init__(self, ordered: QuerySet, per_page: int, selection: QuerySet) -> None:
        super().__init__(ordered, per_page)
        self.selection = selection

    @cached_property
    def count(self) -> int:
        return self.selection.count()


def status_q(status: str, on: date) -> Q:
    """Stored obligations with `status` on `on`, as a filter (mirrors engine.status_of).

    Also the two selections the start page's counts link to (`NEEDS`).
    """
    return {
        "overdue_must": Q(strength="must", done_on__isnull=True, due__lt=on),
        "due_soon": Q(done_on__isnull=True, due__gte=on, due__lte=on + timedelta(days=SOON_DAYS)),
        "overdue": Q(done_on__isnull=True, due__lt=on),
        "open": Q(done_on__isnull=True) & (Q(due__isnull=True) | Q(due__gte=on)),
        "late": Q(done_on__isnull=False, due__isnull=False, done_on__gt=OuterRef("due")),
        "done": Q(done_on__isnull=False) & (Q(due__isnull=True) | Q(done_on__lte=OuterRef("due"))),
    }[status]


@dataclass(frozen=True)
class Cell:
    status: str
    due: date | None
    count: int | None = None
    required: int | None = None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]


def cells_html(row: list[Cell | None], memo: dict[Any, str]) -> SafeString:
    """A matrix row's cells as table cells, written in Python.

    Fifty trainees × a dozen obligations are hundreds of cells; as template
    nodes they were most of the dashboard's rendering time. `memo` (one per
    response) keeps each status's escaped markup, so a cell costs a lookup.
    """
    parts = []
    for cell in row:
        if cell is None:
            parts.append(EMPTY_CELL)
            continue
        status = memo.get(cell.status)
        if status is None:
            status = memo[cell.status] = format_html(
                '<td><span class="status status--{}"><span aria-hidden="true">{}</span> {}</span>',
                cell.status,
                cell.icon,
                cell.label,
            )
        # An ISO date is digits and hyphens: nothing to escape.
        due = f'<br><span class="hint">{cell.due.isoformat()}</span>' if cell.due else ""
        parts.append(f"{status}{due}</td>")
    return mark_safe("".join(parts))  # the status parts come from format_html


EMPTY_CELL = '<td><span class="hint">–</span></td>'


def columns(profile: Profile) -> list[tuple[str, str]]:
    """(code, label) of the region's trainee obligations, in the engine's order."""
    codes = [r.code for r in profile.rules if r.subject == "trainee"]
    # Hour rates are trainee quotas too, evaluated after the rules (one column).
    codes += list(dict.fromkeys(rate.code for rate in profile.rates))
    return [(code, code_label(code)) for code in codes]


def cells(trainee_ids: list[int], on: date) -> dict[int, dict[str, Cell]]:
    """For each trainee and code the obligation that matters most now.

    Overdue beats open beats done; among equals the earliest due date for
    what is not done, the latest for what is.
    """
    best: dict[int, dict[str, tuple[tuple, Cell]]] = defaultdict(dict)
    rows = ObligationStatus.objects.filter(trainee_id__in=trainee_ids).values_list(
        "trainee_id", "code", "due", "done_on", "count", "required"
    )
    for trainee_id, code, due, done_on, count, required in rows:
        status = status_of(due, done_on, on)
        undone = status in ("overdue", "open")
        rank = (
            STATUS_RANK[status],
            (due or date.max) if undone else -(due or date.min).toordinal(),
        )
        current = best[trainee_id].get(code)
        if current is None or rank < current[0]:
            best[trainee_id][code] = (rank, Cell(status, due, count, required))
    return {t: {code: cell for code, (_r, cell) in by_code.items()} for t, by_code in best.items()}


@dataclass
class Risk:
    trainee: Trainee
    reasons: list[str] = field(default_factory=list)


@dataclass
class Risks:
    shown: list[Risk]
    total: int


@dataclass(frozen=True)
class Ranking:
    """Who is at risk, most reasons first: ids and reason texts, without the people."""

    ranked: list[int]
    reasons: dict[int, list[str]]
    total: int


def rank_risks(trainees: QuerySet[Trainee], on: date, limit: int = RISK_LIMIT) -> Ranking:
    """Rank the selection by reasons to worry; texts only for the `limit` shown.

    Reasons are counted in bulk for the whole selection; their texts are
    written only for the `limit` trainees shown, so a region of thousands
    stays fast. Everything here comes from the snapshot and the meetings and
    sign-offs that re-store it, so the result can be cached by snapshot version.
    """
    starts = dict(trainees.order_by().values_list("pk", "start_date"))
    ids = trainees.order_by().values("pk")
    counts: Counter[int] = Counter(_overdue_must_counts(ids, on))
    behind = _quotas_behind(ids, on)
    counts.update(row[0] for row in behind)
    silent = _silent(starts, ids, on)
    counts.update({pk: len(texts) for pk, texts in silent.items()})
    ranked = sorted(counts, key=lambda pk: (-counts[pk], pk))[:limit]
    reasons = _overdue_must_texts(ranked, on)
    shown = set(ranked)
    for trainee_id, code, count, required, expected in behind:
        if trainee_id in shown:
            reasons[trainee_id].append(_behind_text(code, count, required, expected))
    for pk in ranked:
        reasons[pk] += silent.get(pk, [])
    return Ranking(ranked, {pk: reasons[pk] for pk in ranked}, len(counts))


def _behind_text(code: str, count: Decimal, required: Decimal, expected: int) -> str:
    values = {"obligation": code_label(code), "expected": expected}
    if code in RATE_CODES:
        # Hours have a decimal: "12,5 av 52,0 timmar".
        template = _(
            "%(obligation)s: %(count)s av %(required)s timmar, borde vara minst %(expected)d nu"
        )
        values |= {"count": number_format(count, 1), "required": number_format(required, 1)}
        return str(template) % values
    template = _("%(obligation)s: %(count)d av %(required)d, borde vara minst %(expected)d nu")
    return str(template) % (values | {"count": count, "required": required})


def people_at_risk(ranking: Ranking) -> Risks:
    """The ranking with today's names and units (one query)."""
    people = (
        Trainee.objects.filter(pk__in=ranking.ranked).select_related("user", "home_unit").in_bulk()
    )
    risks = [Risk(people[pk], ranking.reasons[pk]) for pk in ranking.ranked if pk in people]
    risks.sort(key=lambda r: (-len(r.reasons), r.trainee.user.last_name, r.trainee.pk))
    return Risks(shown=risks, total=ranking.total)


def _overdue_musts(on: date) -> QuerySet[ObligationStatus]:
    return ObligationStatus.objects.filter(strength="must", done_on__isnull=True, due__lt=on)


def _overdue_must_counts(ids: QuerySet, on: date) -> dict[int, int]:
    rows = _overdue_musts(on).filter(trainee_id__in=ids).values("trainee_id")
    return dict(rows.annotate(n=Count("code", distinct=True)).values_list("trainee_id", "n"))


def _overdue_must_texts(ids: list[int], on: date) -> defaultdict[int, list[str]]:
    rows = (
        _overdue_musts(on)
        .filter(trainee_id__in=ids)
        .values("trainee_id", "code")
        .annotate(first=Min("due"))
        .values_list("trainee_id", "code", "first")
        .order_by("first")
    )
    template = str(_("%(obligation)s försenad sedan %(due)s"))
    reasons: defaultdict[int, list[str]] = defaultdict(list)
    for trainee_id, code, due in rows:
        reasons[trainee_id].append(
            template % {"obligation": code_label(code), "due": due.isoformat()}
        )
    return reasons


def _quotas_behind(ids: QuerySet, on: date) -> list[tuple[int, str, int, int, int]]:
    """Quotas of the current training year behind the share of the year that has passed."""
    rows = ObligationStatus.objects.filter(
        trainee_id__in=ids, required__isnull=False, done_on__isnull=True, due__gte=on
    ).values_list("trainee_id", "code", "due", "count", "required")
    behind = []
    for trainee_id, code, due, count, required in rows:
        expected = expected_by(required, due, on)
        if (count or 0) < expected:
            behind.append((trainee_id, code, count or 0, required, expected))
    return behind


def expected_by(required: int, due: date, on: date) -> int:
    """How much of a yearly quota ending on `due` should be done by `on`, pro rata."""
    return int(required * (on - _year_start(due)).days / 365)


@functools.lru_cache(maxsize=4096)
def _year_start(due: date) -> date:
    # Thousands of rows share a few hundred due dates; date arithmetic is the cost here.
    return due + timedelta(days=1) - relativedelta(years=1)


def _silent(starts: dict[int, date], ids: QuerySet, on: date) -> dict[int, list[str]]:
    """No supervision meeting for 8 weeks, no goal signed off for 6 months."""
    meetings = dict(
        SupervisionMeeting.objects.filter(trainee_id__in=ids)
        .values("trainee_id")
        .annotate(last=Max("date"))
        .values_list("trainee_id", "last")
    )
    signoffs = dict(
        GoalSignoff.objects.filter(trainee_id__in=ids, revoked_at__isnull=True)
        .values("trainee_id")
        .annotate(last=Max("signed_at"))
        .values_list("trainee_id", "last")
    )
    # Absence stops the training clock (spec 1.1): a parent on leave is not "silent".
    on_leave = set(
        Absence.objects.filter(trainee_id__in=ids, start__lte=on, end__gte=on).values_list(
            "trainee_id", flat=True
        )
    )
    no_meeting = str(_("Inget handledarsamtal på 8 veckor"))
    no_signoff = str(_("Inget delmål intygat på 6 månader"))
    # Computed once: date arithmetic with relativedelta per trainee cost a tenth of the page.
    meeting_cutoff, signoff_cutoff = on - MEETING_GAP, on - SIGNOFF_GAP
    result: dict[int, list[str]] = {}
    for pk, start in starts.items():
        if pk in on_leave:
            continue
        texts = []
        last_meeting = meetings.get(pk) or start
        if start <= meeting_cutoff and last_meeting < meeting_cutoff:
            texts.append(no_meeting)
        last_signoff = signoffs.get(pk)
        since = timezone.localdate(last_signoff) if last_signoff else start
        if since < signoff_cutoff:
            texts.append(no_signoff)
        if texts:
            result[pk] = texts
    return result


def export_table(
    trainees: list[Trainee], columns: list[tuple[str, str]], on: date
) -> list[list[str | date]]:
    """Header and one row per trainee: the start date, status and due date per obligation."""
    by_trainee = cells([t.pk for t in trainees], on)
    header = [str(_("ST-läkare")), str(_("Enhet")), str(_("Föreskrift")), str(_("Start"))]
    table: list[list[str | date]] = [header + [label for _code, label in columns]]
    for t in trainees:
        row = [t.user.get_full_name() or t.user.email, t.home_unit.name, t.regulation]
        row.append(t.start_date)
        for code, _label in columns:
            cell = by_trainee.get(t.pk, {}).get(code)
            due = f" ({cell.due.isoformat()})" if cell and cell.due else ""
            row.append(f"{cell.label}{due}" if cell else "")
        table.append(row)
    return table


@dataclass(frozen=True)
class Hours:
    trainees: int
    hours_per_week: int | None
    source: str


def study_director_hours(profile: Profile, trainees: int) -> Hours | None:
    """Norrbotten's guideline of study-director hours by number of trainees, for this count."""
    section = next((i for i in profile.info if i.key == "studierektor_hours"), None)
    if section is None:
        return None
    hours = next(
        (
            int(row["hours_per_week"])
            for row in section.rows
            if int(row["trainees_min"]) <= trainees <= int(row.get("trainees_max", trainees))
        ),
        None,
    )
    return Hours(trainees, hours, section.source)
