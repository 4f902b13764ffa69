"""The service list (tjänsteförteckning): periods, extent and full-time-equivalent months.

How a row's months are counted (stated on the page, so the numbers can be checked by hand),
the spec's service months (shared/spec/portfolio-format.md, "The training clock"):

- Absence (parental leave, sick leave, other leave) is not service: its calendar
  days are taken off the end of the period, E = last day + 1 − absence days, and
  the period counts the months from its first day to E: whole calendar months,
  then the remaining days as a share of the calendar month that follows.
  2021-02-01 to 2021-07-31 is 6 months; 2023-09-04 to 2023-10-18 is
  1 month + 15/31 (October 4 to November 4 has 31 days).
- Full-time-equivalent months = months × extent / 100.
- The list is one clock from its first day: a row is the months counted up to
  its end less those counted up to its start, so the rows add up to the whole
  period's months. A trainee who serves from the start to the planned end has
  exactly the required months, never 59.9 of 60.
- Rows are rounded to one decimal by rounding the running total, so the sum on
  the form is what an administrator gets by adding up the column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from regions.rules.engine import absence_days, months_between, service_months

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """A period or absence: first and last day, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class ServiceRow:
    """One line of the service list."""

    place: str
    start: date
    end: date
    extent_percent: int
    absence_days: int
    fte_months: Decimal
    primary_care: bool = False
    emergency: bool = False


@dataclass(frozen=True)
class Placement:
    """A stretch of service somewhere: the home unit, or a rotation."""

    place: str
    start: date
    end: date
    extent_percent: int
    primary_care: bool = False
    emergency: bool = False


def month_span(start: date, end: date) -> Fraction:
    """Calendar months from `start` to `end` inclusive, remaining days as a share of a month."""
    return months_between(start, end + DAY)


def merged(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted, with overlapping or touching ones joined (a day is never counted twice)."""
    result: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if result and span.start <= result[-1].end + DAY:
            last = result[-1]
            result[-1] = Span(last.start, max(last.end, span.end))
        else:
            result.append(span)
    return result


def clipped(span: Span, start: date, end: date) -> Span | None:
    """The part of `span` inside start..end, or None."""
    first, last = max(span.start, start), min(span.end, end)
    return Span(first, last) if first <= last else None


def fte_months(start: date, end: date, extent_percent: int, absences: Sequence[Span]) -> Decimal:
    """Full-time-equivalent months of one period, absence taken off, rounded to one decimal."""
    spans = tuple((a.start, a.end) for a in merged(absences))
    return _rounded(service_months(start, end, extent_percent, spans))


def _rounded(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def service_rows(
    home: Placement, rotations: Sequence[Placement], absences: Sequence[Span]
) -> list[ServiceRow]:
    """The home unit's service split around the rotations, each row with its FTE months."""
    absences = merged(absences)
    pieces: list[Placement] = []
    cursor = home.start
    for rotation in sorted(rotations, key=lambda r: r.start):
        span = clipped(Span(rotation.start, rotation.end), max(cursor, home.start), home.end)
        if span is None:
            continue
        if span.start > cursor:
            pieces.append(_part(home, cursor, span.start - DAY))
        pieces.append(_part(rotation, span.start, span.end))
        cursor = span.end + DAY
    if cursor <= home.end:
        pieces.append(_part(home, cursor, home.end))
    return _rows(pieces, absences)


def _part(placement: Placement, start: date, end: date) -> Placement:
    return Placement(
        placement.place,
        start,
        end,
        placement.extent_percent,
        placement.primary_care,
        placement.emergency,
    )


def _rows(pieces: list[Placement], absences: Sequence[Span]) -> list[ServiceRow]:
    if not pieces:
        return []
    spans = tuple((a.start, a.end) for a in absences)
    origin = pieces[0].start
    exact = Fraction(0)
    rows = []
    for piece in pieces:
        months = _clock(origin, piece.end + DAY, spans) - _clock(origin, piece.start, spans)
        before, exact = exact, exact + months * piece.extent_percent / 100
        rows.append(_row(piece, absences, _rounded(exact) - _rounded(before)))
    return rows


def _clock(origin: date, day: date, spans: tuple[tuple[date, date], ...]) -> Fraction:
    """Service months from `origin` up to (not including) `day`: absence days do not count."""
    return months_between(origin, day - timedelta(days=absence_days(spans, origin, day)))


def _row(piece: Placement, absences: Sequence[Span], months: Decimal) -> ServiceRow:
    inside = [c for a in absences if (c := clipped(a, piece.start, piece.end)) is not None]
    return ServiceRow(
        place=piece.place,
        start=piece.start,
        end=piece.end,
        extent_percent=piece.extent_percent,
        absence_days=sum((a.end - a.start).days + 1 for a in inside),
        fte_months=months,
        primary_care=piece.primary_care,
        emergency=piece.emergency,
    )


def total(rows: Iterable[ServiceRow]) -> Decimal:
    """The sum of the rows' rounded FTE months."""
    return sum((r.fte_months for r in rows), Decimal("0.0"))


def yymmdd(day: date | None) -> str:
    """A date as the forms write it: ååmmdd."""
    return day.strftime("%y%m%d") if day else ""


def period(start: date | None, end: date | None) -> str:
    """A period as the forms write it: ååmmdd–ååmmdd."""
    return f"{yymmdd(start)}–{yymmdd(end)}" if start and end else ""


def months_text(value: Decimal) -> str:
    """FTE months with a decimal comma, as a Swedish form is read."""
    return f"{value:.1f}".replace(".", ",")
