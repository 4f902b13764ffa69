"""The head of unit's own trainee duties: the obligations the sources make theirs.

The yearly development talk is the head of unit's in Blekinge (§3.4),
Norrbotten (Verksamhetschef), Östergötland (Chefens ansvar) and Jönköping
(Huvudansvarig verksamhetschef); the profiles mark such rules with
``owner = "head_of_unit"``. The page reads the stored obligations (one query),
so it costs the same for ten trainees as for a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from obligations.labels import STATUS_LABELS, code_label
from obligations.links import obligation_url
from regions.models import ObligationStatus, Unit
from regions.rules.engine import status_of
from regions.rules.profile import Profile


@dataclass(frozen=True, slots=True)
class OwnedDuty:
    """One open or overdue obligation of a trainee at one of the head's units."""

    trainee: str
    unit: str
    label: str
    due: date
    status: str
    status_label: str
    url: str


def owned_codes(profile: Profile) -> list[str]:
    """The trainee obligation codes the region's sources make the head of unit responsible for."""
    return [rule.code for rule in profile.rules if rule.owner == "head_of_unit"]


def owned_duties(profile: Profile, units: list[Unit], on: date) -> list[OwnedDuty]:
    """Open and overdue head-of-unit obligations of the units' trainees, soonest due first."""
    codes = owned_codes(profile)
    if not codes or not units:
        return []
    rows = (
        ObligationStatus.objects.filter(
            trainee__home_unit__in=units, code__in=codes, done_on__isnull=True, due__isnull=False
        )
        .select_related("trainee__user", "trainee__home_unit")
        .order_by("due", "trainee_id", "pk")
    )
    return [_duty(profile.slug, row, on) for row in rows]


def _duty(slug: str, row: ObligationStatus, on: date) -> OwnedDuty:
    trainee = row.trainee
    status = status_of(row.due, None, on)
    return OwnedDuty(
        trainee=trainee.user.get_full_name() or trainee.user.email,
        unit=trainee.home_unit.name,
        label=code_label(row.code),
        due=row.due,
        status=status,
        status_label=str(STATUS_LABELS[status]),
        url=obligation_url(slug, trainee.pk, row.code),
    )
