"""The pre-inspection pack: what a unit's reviewers ask for, from the records.

Numbers of trainees and their regulations, the supervisors and their
training, contract and IUP compliance, supervision and assessments against
the region's profile, and what is still open from earlier plans. The page and
the PDF are drawn from the same `Pack`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from inspections.models import InspectionMeasure
from obligations.dashboard import expected_by
from obligations.labels import STATUS_LABELS, code_label
from regions.models import Membership, ObligationStatus, Role, Unit
from regions.rules.engine import status_of
from regions.rules.profile import load_profile
from supervision.models import ActionPlan
from supervision.qualifications import qualifications
from trainees.models import Trainee

# The obligations the pack reports one by one: paperwork, then recurring quotas.
DOCUMENTS = ("contract", "iup", "iup_bt", "iup_revision", "planning_meeting")
STATUSES = ("done", "late", "open", "overdue")


@dataclass
class Compliance:
    code: str
    counts: Counter[str]

    @property
    def label(self) -> str:
        return code_label(self.code)

    @property
    def cells(self) -> list[int]:
        return [self.counts[s] for s in STATUSES]

    @property
    def on_time_percent(self) -> int | None:
        settled = self.counts["done"] + self.counts["late"] + self.counts["overdue"]
        return round(100 * self.counts["done"] / settled) if settled else None


@dataclass
class Quota:
    code: str
    trainees: int
    behind: int
    done: int
    required: int

    @property
    def label(self) -> str:
        return code_label(self.code)


@dataclass
class Pack:
    unit: Unit
    on: date
    trainees: list[Trainee]
    by_regulation: list[tuple[str, int]]
    in_bt: int
    supervisors: list[dict[str, Any]]
    compliance: list[Compliance]
    quotas: list[Quota]
    action_plans: list[ActionPlan]
    open_measures: list[Any]

    @property
    def status_labels(self) -> list[str]:
        return [str(STATUS_LABELS[s]) for s in STATUSES]

    @property
    def trained_supervisors(self) -> int:
        return sum(1 for s in self.supervisors if s["status"].ok)


def build(unit: Unit, on: date) -> Pack:
    """Assemble the pack for `unit` as of `on` in a fixed number of queries."""
    trainees = list(
        Trainee.objects.filter(home_unit=unit)
        .select_related("user", "specialty")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    ids = [t.pk for t in trainees]
    regulations = Counter(t.regulation for t in trainees)
    memberships = list(
        Membership.objects.filter(unit=unit, role=Role.SUPERVISOR)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    status = qualifications(
        [(m.user_id, unit.specialty_id) for m in memberships], unit.region.slug, on
    )
    supervisors = [
        {"user": m.user, "status": status[(m.user_id, unit.specialty_id)]} for m in memberships
    ]
    rows = ObligationStatus.objects.filter(trainee_id__in=ids).values_list(
        "trainee_id", "code", "due", "done_on", "count", "required"
    )
    documents: dict[str, Counter[str]] = {code: Counter() for code in DOCUMENTS}
    quota_rows: dict[str, list[tuple[int, int, int, date | None]]] = {}
    for trainee_id, code, due, done_on, count, required in rows:
        if code in documents:
            documents[code][status_of(due, done_on, on)] += 1
        elif required is not None and (due is None or due >= on):
            quota_rows.setdefault(code, []).append((trainee_id, count or 0, required, due))
    profile_codes = [r.code for r in load_profile(unit.region.slug).rules]
    compliance = [
        Compliance(code, documents[code]) for code in profile_codes if documents.get(code)
    ]
    quotas = [_quota(code, quota_rows[code], on) for code in profile_codes if code in quota_rows]
    plans = list(
        ActionPlan.objects.filter(trainee_id__in=ids, closed_on__isnull=True)
        .select_related("trainee__user")
        .order_by("follow_up_on")
    )
    measures = list(
        InspectionMeasure.objects.filter(inspection__unit=unit, done_on__isnull=True)
        .select_related("owner", "inspection")
        .order_by("due")
    )
    return Pack(
        unit=unit,
        on=on,
        trainees=trainees,
        by_regulation=sorted(regulations.items()),
        in_bt=sum(1 for t in trainees if t.bt_end and t.bt_end >= on),
        supervisors=supervisors,
        compliance=compliance,
        quotas=quotas,
        action_plans=plans,
        open_measures=measures,
    )


def _quota(code: str, rows: list[tuple[int, int, int, date | None]], on: date) -> Quota:
    """This training year's quota: how many trainees are behind the share of the year passed."""
    behind = sum(
        1 for _t, done, required, due in rows if due and done < expected_by(required, due, on)
    )
    return Quota(
        code=code,
        trainees=len({row[0] for row in rows}),
        behind=behind,
        # The snapshot stores quotas as decimals (hours have one); these codes count events.
        done=int(sum(row[1] for row in rows)),
        required=int(sum(row[2] for row in rows)),
    )
