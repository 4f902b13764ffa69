"""Server-rendered SVG timeline of one trainee's programme.

The picture never carries information on its own: the SVG's `<desc>` and
`timeline_rows()` state the same facts as text, and within the picture each kind
is told apart by lane, fill pattern and a visible label, not by colour alone
(WCAG 2.1, 1.4.1). The page's Content-Security-Policy forbids inline styles, so
the markup uses presentation attributes and classes from static/css/timeline.css.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Literal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

Kind = Literal["bt", "st", "rotation", "course", "absence", "auskultation", "today", "planned_end"]


@dataclass(frozen=True)
class TimelineItem:
    """One bar (a period) or point (a day) on the timeline."""

    kind: Kind
    label: str
    start: date
    end: date | None
    note: str = ""


@dataclass(frozen=True)
class TimelineRow:
    """The text equivalent of one timeline item, for a data table beside the picture."""

    kind: str
    kind_label: str
    text: str
    start: date
    end: date | None
    note: str

    @property
    def sentence(self) -> str:
        """The row as one sentence, as read in the SVG's <desc> and tooltips."""
        period = _period(self.start, self.end)
        if self.note:
            period = f"{period} ({self.note})"
        if not self.text or self.text == self.kind_label:
            return f"{self.kind_label} {period}."
        return f"{self.kind_label}: {self.text} {period}."


# Source strings for gettext; translated at render time, when the language is known.
KIND_NAMES = {
    "bt": gettext_noop("BT"),
    "st": gettext_noop("ST"),
    "rotation": gettext_noop("Placering"),
    "auskultation": gettext_noop("Auskultation"),
    "course": gettext_noop("Kurs"),
    "absence": gettext_noop("Frånvaro"),
    "today": gettext_noop("Idag"),
    "planned_end": gettext_noop("Planerat slut"),
}
KIND_ORDER = tuple(KIND_NAMES)
MARKER_KINDS = ("today", "planned_end")
LANES = (
    (gettext_noop("Fas"), ("bt", "st")),
    (gettext_noop("Placeringar"), ("rotation", "auskultation")),
    (gettext_noop("Kurser"), ("course",)),
    (gettext_noop("Frånvaro"), ("absence",)),
)
LANE_OF = {kind: index for index, (_name, kinds) in enumerate(LANES) for kind in kinds}

INK, MUTED, LINE, BAND, SURFACE = "#1b2430", "#4a5563", "#c9ced6", "#f6f7f9", "#ffffff"
# Per kind: light tint, dark outline (≥ 3:1 on white and on the tint), and the
# 6×6 pattern tile drawn over the tint ("" = plain), so kinds differ without colour.
LOOKS = {
    "bt": ("#e3edf7", "#0b5394", '<path d="M3 0V6" stroke="#0b5394" stroke-width="1.5"/>'),
    "st": ("#e3edf7", "#0b5394", ""),
    "rotation": ("#e2f0e6", "#1d6b34", ""),
    "auskultation": ("#e2f0e6", "#1d6b34", '<path d="M0 3H6M3 0V6" stroke="#1d6b34"/>'),
    "course": ("#f7ecd9", "#8a5300", '<circle cx="3" cy="3" r="1.4" fill="#8a5300"/>'),
    "absence": ("#f8e3e4", "#a1262b", '<path d="M-1 1L1-1M0 6L6 0M5 7L7 5" stroke="#a1262b"/>'),
}

WIDTH, PLOT_X0, PLOT_X1, EDGE = 1000.0, 124.0, 976.0, 8.0
FONT = 13
CHAR_W = FONT * 0.6  # a generous average glyph width: the server cannot measure text
HEADER_TOP, HEADER_ROW_H, LANE_PAD, SUBROW_H, BAR_H = 6.0, 18.0, 6.0, 26.0, 18.0
AXIS_H, LEGEND_ROW_H = 34.0, 22.0
PAD, GAP, MIN_BAR_W, POINT_R = 4.0, 4.0, 4.0, 7.0
MAX_LABEL_CHARS, MIN_INSIDE_CHARS = 40, 8
# A white outline behind label glyphs keeps text ≥ 4.5:1 over any pattern.
HALO = {"stroke": SURFACE, "stroke-width": 3, "stroke-linejoin": "round", "paint-order": "stroke"}
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID = re.compile(r"[A-Za-z][\w-]*")


class _Scale:
    """Maps calendar days onto the plot's x range; each day has a width."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.per_day = (PLOT_X1 - PLOT_X0) / ((end - start).days + 1)

    def x(self, day: date) -> float:
        """Left edge of `day`, clamped to the plot."""
        day = min(max(day, self.start), self.end + timedelta(days=1))
        return PLOT_X0 + (day - self.start).days * self.per_day

    def mid(self, day: date) -> float:
        """Middle of `day`, clamped to the plot."""
        return min(self.x(day) + self.per_day / 2, PLOT_X1)


@dataclass(frozen=True)
class _Canvas:
    """What every drawing step needs: the scale, the id prefix and translated texts."""

    scale: _Scale
    prefix: str
    kinds: dict[str, str]
    titles: dict[TimelineItem, str]

    def fill(self, kind: str) -> str:
        """A kind's fill: its pattern if it has one, else its plain tint."""
        tint, _stroke, tile = LOOKS[kind]
        return f"url(#{self.prefix}-{kind})" if tile else tint


@dataclass(frozen=True)
class _Label:
    """A visible label and where it sits; `extent` is None when inside its bar."""

    text: str
    x: float
    anchor: str
    extent: tuple[float, float] | None


@dataclass(frozen=True)
class _Placed:
    """An item with its clamped days, drawn extent and label, before stacking."""

    item: TimelineItem
    first: date
    last: date
    x_a: float
    x_b: float
    label: _Label

    def footprint(self) -> tuple[float, float]:
        """Horizontal space the bar and an outside label take up in their sub-row."""
        lo, hi = self.label.extent or (self.x_a, self.x_b)
        return min(self.x_a, lo), max(self.x_b, hi)


@dataclass(frozen=True)
class _Spot:
    """A marker with its x and the header row and span its label occupies."""

    marker: TimelineItem
    x: float
    left: float
    right: float
    row: int
    text: str


# --- public API ---------------------------------------------------------------


def render_timeline(
    *,
    start: date,
    planned_end: date,
    items: Sequence[TimelineItem],
    today: date,
    title: str,
    id_prefix: str = "timeline",
) -> SafeString:
    """Return SVG markup of the programme from `start` to `planned_end`.

    Every text is escaped here, so the result comes marked safe. Pass a distinct
    `id_prefix` when a page shows more than one timeline, as ids must be unique.
    """
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a plain identifier, not {id_prefix!r}")
    pairs = _rows(items, today=today, planned_end=planned_end)
    titles = {item: row.sentence for item, row in pairs}
    canvas = _Canvas(_Scale(start, max(planned_end, start)), id_prefix, _kind_labels(), titles)
    picture, height = _picture([item for item, _row in pairs], canvas)
    summary = " ".join([_intro(start, planned_end), *(row.sentence for _item, row in pairs)])
    head = (
        _el("title", {"id": f"{id_prefix}-title"}, _text(title)),
        _el("desc", {"id": f"{id_prefix}-desc"}, _text(summary)),
        _el("defs", {}, *(_pattern(kind, id_prefix) for kind in LOOKS)),
    )
    # Safe to mark: every text and attribute value went through escape() in _el/_text.
    return mark_safe(_el("svg", _root_attrs(id_prefix, height), *head, *picture))


def timeline_rows(
    *, items: Sequence[TimelineItem], today: date, planned_end: date
) -> list[TimelineRow]:
    """The timeline's facts as table rows: lane by lane, then by date, markers last.

    Dates are the ones entered, not clamped to the programme, because a table
    must not hide that, say, an absence runs past the planned end.
    """
    return [row for _item, row in _rows(items, today=today, planned_end=planned_end)]


# --- facts and text -------------------------------------------------------------


def _rows(
    items: Sequence[TimelineItem], *, today: date, planned_end: date
) -> list[tuple[TimelineItem, TimelineRow]]:
    """Valid items and markers in reading order, each with its text row."""
    kinds = _kind_labels()
    ordered = sorted(_valid(items), key=lambda item: (LANE_OF[item.kind], _sort_key(item)))
    ordered += _markers(items, today=today, planned_end=planned_end, kinds=kinds)
    return [(item, _row(item, kinds)) for item in ordered]


def _kind_labels() -> dict[str, str]:
    """Kind names in the active language, looked up once per rendering."""
    return {kind: _(name) for kind, name in KIND_NAMES.items()}


def _valid(items: Sequence[TimelineItem]) -> list[TimelineItem]:
    """Lane items that make sense; a period ending before it starts is a data error."""
    unknown = sorted({item.kind for item in items} - set(KIND_NAMES))
    if unknown:
        raise ValueError(f"Unknown timeline kinds: {unknown}")
    return [
        item
        for item in items
        if item.kind not in MARKER_KINDS and (item.end is None or item.end >= item.start)
    ]


def _markers(
    items: Sequence[TimelineItem], *, today: date, planned_end: date, kinds: dict[str, str]
) -> list[TimelineItem]:
    """Today and the planned end, plus any marker items given, once each, by date."""
    given = [
        TimelineItem("today", kinds["today"], today, None),
        TimelineItem("planned_end", kinds["planned_end"], planned_end, None),
        *(
            TimelineItem(i.kind, i.label, i.start, None, i.note)
            for i in items
            if i.kind in MARKER_KINDS
        ),
    ]
    unique = {(m.kind, m.start): m for m in reversed(given)}
    return sorted(unique.values(), key=_sort_key)


def _sort_key(item: TimelineItem) -> tuple[date, int, date, str, str]:
    """A total order on items, so equal input in any order gives equal output."""
    return (item.start, KIND_ORDER.index(item.kind), item.end or item.start, item.label, item.note)


def _row(item: TimelineItem, kinds: dict[str, str]) -> TimelineRow:
    """An item as a row with cleaned, human-readable texts."""
    text, note = _clean(item.label), _clean(item.note)
    return TimelineRow(item.kind, kinds[item.kind], text, item.start, item.end, note)


def _intro(start: date, planned_end: date) -> str:
    """The first sentence of the summary: the programme as a whole."""
    dates = {"start": start.isoformat(), "end": planned_end.isoformat()}
    return _("ST från %(start)s till %(end)s.") % dates


def _period(start: date, end: date | None) -> str:
    """ISO dates joined by an en dash; one date for a point or a one-day period."""
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()}–{end.isoformat()}"


def _clean(text: str) -> str:
    """Collapse whitespace and drop characters XML cannot hold (labels come from users)."""
    return " ".join(_XML_INVALID.sub("", str(text)).split())


def _text(text: str) -> str:
    """Cleaned and escaped element content."""
    return escape(_clean(text), quote=False)


def _truncate(text: str, max_chars: int) -> str:
    """Shorten to `max_chars`, ending in an ellipsis so the cut is visible."""
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 0)].rstrip() + "…"


def _width(text: str) -> float:
    """Estimated rendered width of a line of text."""
    return len(text) * CHAR_W


def _visible_label(item: TimelineItem, kinds: dict[str, str]) -> str:
    """The text shown on a bar: the item's label with its note in brackets."""
    label = _clean(item.label) or kinds[item.kind]
    note = _clean(item.note)
    return _truncate(f"{label} ({note})" if note else label, MAX_LABEL_CHARS)


# --- layout -----------------------------------------------------------------------


def _place(item: TimelineItem, canvas: _Canvas) -> _Placed | None:
    """Clamp the item to the programme and fix its extent and label; None if outside."""
    scale = canvas.scale
    first, last = max(item.start, scale.start), min(item.end or item.start, scale.end)
    if last < first:
        return None
    if item.end is None:
        x_a, x_b = scale.mid(first) - POINT_R, scale.mid(first) + POINT_R
    else:
        x_a, x_b = _min_width(scale.x(first), scale.x(last + timedelta(days=1)))
    label = _place_label(_visible_label(item, canvas.kinds), x_a, x_b)
    return _Placed(item, first, last, x_a, x_b, label)


def _min_width(x_a: float, x_b: float) -> tuple[float, float]:
    """Widen very short periods so that a two-day absence is still visible."""
    if x_b - x_a >= MIN_BAR_W:
        return x_a, x_b
    mid = min(max((x_a + x_b) / 2, PLOT_X0 + MIN_BAR_W / 2), PLOT_X1 - MIN_BAR_W / 2)
    return mid - MIN_BAR_W / 2, mid + MIN_BAR_W / 2


def _place_label(text: str, x_a: float, x_b: float) -> _Label:
    """Inside the bar if it fits or the bar is roomy (truncated), else beside it."""
    inner = x_b - x_a - 2 * PAD
    if _width(text) <= inner or inner >= MIN_INSIDE_CHARS * CHAR_W:
        return _Label(_truncate(text, int(inner // CHAR_W)), x_a + PAD, "start", None)
    right = WIDTH - EDGE - (x_b + GAP)
    left = x_a - GAP - PLOT_X0
    on_right = _width(text) <= right or right >= left
    shown = _truncate(text, max(int((right if on_right else left) // CHAR_W), 1))
    span = _width(shown) + 2 * GAP
    if on_right:
        return _Label(shown, x_b + GAP, "start", (x_b, x_b + span))
    return _Label(shown, x_a - GAP, "end", (x_a - span, x_a))


def _stack(placed: list[_Placed]) -> list[int]:
    """First-fit sub-row per item, so that no bar or label hides another."""
    rows: list[list[_Placed]] = []
    result = []
    for p in placed:
        free = (i for i, row in enumerate(rows) if not any(_clash(p, q) for q in row))
        index = next(free, len(rows))
        if index == len(rows):
            rows.append([])
        rows[index].append(p)
        result.append(index)
    return result


def _clash(a: _Placed, b: _Placed) -> bool:
    """Items clash if their days overlap or their drawn extents overlap visibly."""
    if a.first <= b.last and b.first <= a.last:
        return True
    (a0, a1), (b0, b1) = a.footprint(), b.footprint()
    # Half a unit of tolerance lets back-to-back periods share a sub-row.
    return a0 < b1 - 0.5 and b0 < a1 - 0.5


def _marker_spots(markers: list[TimelineItem], canvas: _Canvas) -> tuple[list[_Spot], float]:
    """Marker labels above the lanes, a header row lower where two would collide."""
    spots: list[_Spot] = []
    for marker in markers:
        end_line = marker.kind == "planned_end" and marker.start >= canvas.scale.end
        x = PLOT_X1 if end_line else canvas.scale.mid(marker.start)
        text = f"{_clean(marker.label) or canvas.kinds[marker.kind]} {marker.start.isoformat()}"
        left = min(max(x - _width(text) / 2, EDGE), WIDTH - EDGE - _width(text))
        right = left + _width(text) + GAP
        row = 0
        while any(s.row == row and left < s.right and s.left < right for s in spots):
            row += 1
        spots.append(_Spot(marker, x, left, right, row, text))
    rows = max((s.row for s in spots), default=-1) + 1
    return spots, HEADER_TOP + rows * HEADER_ROW_H + LANE_PAD


# --- drawing ------------------------------------------------------------------------


def _picture(items: list[TimelineItem], canvas: _Canvas) -> tuple[list[str], float]:
    """The drawn layers, back to front, and the height they need."""
    spots, header_h = _marker_spots([i for i in items if i.kind in MARKER_KINDS], canvas)
    bands, bars, drawn, lanes_h = _lanes(items, canvas, top=header_h)
    axis_y = header_h + lanes_h
    legend, legend_h = _legend(drawn, canvas, top=axis_y + AXIS_H)
    height = axis_y + AXIS_H + legend_h
    background = {"class": "timeline__bg", "width": WIDTH, "height": height, "fill": SURFACE}
    layers = [
        _el("rect", background),
        bands,
        _grid(canvas.scale, header_h, axis_y),
        # Marker lines go behind the bars so they never cover a label.
        _marker_lines(spots, axis_y, canvas),
        bars,
        _axis(canvas.scale, axis_y),
        legend,
    ]
    return layers, height


def _n(value: float) -> str:
    """A coordinate with one decimal, written the same way every time."""
    return f"{value:.1f}".removesuffix(".0")


def _el(tag: str, attrs: dict[str, object], *children: str) -> str:
    """One SVG element; attribute values are escaped, children are markup already."""
    parts = [tag]
    for name, value in attrs.items():
        shown = _n(value) if isinstance(value, float) else escape(str(value))
        parts.append(f'{name}="{shown}"')
    opening = " ".join(parts)
    content = "".join(children)
    return f"<{opening}>{content}</{tag}>" if content else f"<{opening}/>"


def _svg_text(text: str, x: float, y: float, **attrs: object) -> str:
    """A <text> element; `text` is plain and escaped here."""
    return _el("text", {"x": x, "y": y, **attrs}, escape(text, quote=False))


def _root_attrs(prefix: str, height: float) -> dict[str, object]:
    """The root <svg>: an image named by its <title> and <desc>, scaling to its box."""
    return {
        "xmlns": "http://www.w3.org/2000/svg",
        "class": "timeline",
        "role": "img",
        "aria-labelledby": f"{prefix}-title {prefix}-desc",
        "viewBox": f"0 0 {_n(WIDTH)} {_n(height)}",
        "width": "100%",
        "preserveAspectRatio": "xMinYMin meet",
        "font-family": FONT_FAMILY,
        "font-size": FONT,
        "fill": INK,
    }


def _pattern(kind: str, prefix: str) -> str:
    """A 6×6 <pattern> tile: the kind's tint with its strokes or dots on top."""
    tint, _stroke, tile = LOOKS[kind]
    if not tile:
        return ""
    attrs = {"id": f"{prefix}-{kind}", "width": 6, "height": 6, "patternUnits": "userSpaceOnUse"}
    return _el("pattern", attrs, _el("rect", {"width": 6, "height": 6, "fill": tint}), tile)


def _baseline(row_top: float) -> float:
    """Text baseline that centres one line of text in a sub-row."""
    return row_top + SUBROW_H / 2 + FONT * 0.35


def _lanes(
    items: list[TimelineItem], canvas: _Canvas, *, top: float
) -> tuple[str, str, set[str], float]:
    """Lane bands with names (drawn first), stacked items (drawn later), kinds drawn, height."""
    bands, bars, drawn = [], [], set()
    y = top
    ordered = sorted((i for i in items if i.kind not in MARKER_KINDS), key=_sort_key)
    for index, (name, kinds) in enumerate(LANES):
        placed = [p for p in (_place(i, canvas) for i in ordered if i.kind in kinds) if p]
        rows = _stack(placed)
        height = 2 * LANE_PAD + (max(rows, default=0) + 1) * SUBROW_H
        bands.append(_band(_(name), y, height, shaded=index % 2 == 1, empty=not placed))
        for p, row in zip(placed, rows, strict=True):
            bars.append(_item(p, y + LANE_PAD + row * SUBROW_H, canvas))
            drawn.add(p.item.kind)
        y += height
    lanes = _el("g", {"class": "timeline__lanes"}, *bands)
    return lanes, _el("g", {"class": "timeline__items"}, *bars), drawn, y - top


def _band(name: str, y: float, height: float, *, shaded: bool, empty: bool) -> str:
    """One lane's background, separator and name; says so when the lane is empty."""
    area = {"x": 0.0, "y": y, "width": WIDTH, "height": height, "fill": BAND if shaded else SURFACE}
    name_attrs = {"class": "timeline__lane-label", "font-weight": 700}
    parts = [
        _el("rect", area),
        _el("line", {"x1": 0.0, "x2": WIDTH, "y1": y, "y2": y, "stroke": LINE}),
        _svg_text(name, EDGE + 4, _baseline(y + LANE_PAD), **name_attrs),
    ]
    if empty:
        attrs = {"class": "timeline__empty", "fill": MUTED, "font-style": "italic"}
        parts.append(
            _svg_text(_("Inget registrerat"), PLOT_X0 + PAD, _baseline(y + LANE_PAD), **attrs)
        )
    return _el("g", {"class": "timeline__lane"}, *parts)


def _item(p: _Placed, row_top: float, canvas: _Canvas) -> str:
    """One item: its bar or point, its label, and a <title> with the full text."""
    kind = p.item.kind
    top = row_top + (SUBROW_H - BAR_H) / 2
    paint = {"fill": canvas.fill(kind), "stroke": LOOKS[kind][1], "stroke-width": 1.5}
    if p.item.end is None:
        cx, cy = (p.x_a + p.x_b) / 2, top + BAR_H / 2
        corners = ((cx, top), (p.x_b, cy), (cx, top + BAR_H), (p.x_a, cy))
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in corners)
        shape = _el("polygon", {"class": "timeline__point", "points": points, **paint})
    else:
        box = {"x": p.x_a, "y": top, "width": p.x_b - p.x_a, "height": BAR_H, "rx": 2}
        shape = _el("rect", {"class": "timeline__bar", **box, **paint})
    text_attrs = {"class": "timeline__label", "text-anchor": p.label.anchor, **HALO}
    label = _svg_text(p.label.text, p.label.x, _baseline(row_top), **text_attrs)
    title = _el("title", {}, _text(canvas.titles[p.item]))
    return _el("g", {"class": f"timeline__item timeline__item--{kind}"}, title, shape, label)


def _marker_lines(spots: list[_Spot], axis_y: float, canvas: _Canvas) -> str:
    """Marker lines behind the bars, each grouped with its label and a <title>."""
    groups = []
    for spot in spots:
        label_y = HEADER_TOP + (spot.row + 1) * HEADER_ROW_H
        ends = {"x1": spot.x, "x2": spot.x, "y1": label_y, "y2": axis_y + 6}
        line = {**ends, "stroke": INK, "stroke-width": 2, **_dash(spot.marker.kind, "6 4")}
        label_attrs = {"class": "timeline__marker-label", "font-weight": 600}
        css = f"timeline__marker timeline__marker--{spot.marker.kind}"
        title = _el("title", {}, _text(canvas.titles[spot.marker]))
        label = _svg_text(spot.text, spot.left, label_y - 4, **label_attrs)
        groups.append(_el("g", {"class": css}, title, _el("line", line), label))
    return _el("g", {"class": "timeline__markers"}, *groups)


def _dash(kind: str, dashes: str) -> dict[str, str]:
    """Today's line is dashed, so it differs from the planned end without colour."""
    return {"stroke-dasharray": dashes} if kind == "today" else {}


def _year_ticks(scale: _Scale) -> list[float]:
    """x of every 1 January inside the programme."""
    return [scale.x(date(year, 1, 1)) for year in range(scale.start.year + 1, scale.end.year + 1)]


def _grid(scale: _Scale, top: float, axis_y: float) -> str:
    """Faint year lines across the lanes, to read dates off the bars."""
    lines = (_el("line", {"x1": x, "x2": x, "y1": top, "y2": axis_y}) for x in _year_ticks(scale))
    return _el("g", {"class": "timeline__grid", "stroke": LINE}, *lines)


def _axis(scale: _Scale, y: float) -> str:
    """The year axis: a line, a tick at each new year and the year centred in its span."""
    line = {"class": "timeline__axis-line", "x1": PLOT_X0, "x2": PLOT_X1, "y1": y, "y2": y}
    parts = [_el("line", {**line, "stroke": INK})]
    for x in _year_ticks(scale):
        parts.append(_el("line", {"x1": x, "x2": x, "y1": y, "y2": y + 6, "stroke": INK}))
    for year in range(scale.start.year, scale.end.year + 1):
        left = scale.x(max(date(year, 1, 1), scale.start))
        right = scale.x(min(date(year, 12, 31), scale.end) + timedelta(days=1))
        # A sliver of a year at either end has no room for its number.
        if right - left >= _width(str(year)) + 2 * PAD:
            attrs = {"class": "timeline__year", "text-anchor": "middle"}
            parts.append(_svg_text(str(year), (left + right) / 2, y + 22, **attrs))
    return _el("g", {"class": "timeline__axis"}, *parts)


def _legend(drawn: set[str], canvas: _Canvas, top: float) -> tuple[str, float]:
    """A key naming each kind drawn with its swatch, and the two marker lines."""
    entries, x, y = [], EDGE + 4, top
    for kind in (k for k in KIND_ORDER if k in drawn or k in MARKER_KINDS):
        text = canvas.kinds[kind]
        if x + 34 + _width(text) > WIDTH - EDGE:
            x, y = EDGE + 4, y + LEGEND_ROW_H
        entries.append(_legend_entry(kind, text, x, y, canvas))
        x += 34 + _width(text) + 18
    return _el("g", {"class": "timeline__legend"}, *entries), y - top + LEGEND_ROW_H + 6


def _legend_entry(kind: str, text: str, x: float, y: float, canvas: _Canvas) -> str:
    """One swatch (or marker line) followed by the kind's name."""
    if kind in MARKER_KINDS:
        ends = {"x1": x + 14, "x2": x + 14, "y1": y + 2, "y2": y + 18}
        mark = _el("line", {**ends, "stroke": INK, "stroke-width": 2, **_dash(kind, "4 3")})
    else:
        box = {"x": x, "y": y + 3, "width": 28, "height": 14, "rx": 2}
        paint = {"fill": canvas.fill(kind), "stroke": LOOKS[kind][1], "stroke-width": 1.5}
        mark = _el("rect", {**box, **paint})
    label = _svg_text(text, x + 34, y + 10 + FONT * 0.35)
    return _el("g", {"class": f"timeline__key timeline__key--{kind}"}, mark, label)
