"""The programme timeline: what a sighted, a colour-blind and a screen-reader user get."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from trainees.timeline import TimelineItem, TimelineRow, render_timeline, timeline_rows

NS = "{http://www.w3.org/2000/svg}"
START, PLANNED_END, TODAY = date(2026, 1, 12), date(2031, 8, 8), date(2026, 5, 3)
BT = TimelineItem("bt", "BT", START, date(2026, 12, 31))
ST = TimelineItem("st", "ST", START, PLANNED_END)
CHILDREN = TimelineItem(
    "rotation", "Barnkliniken", date(2027, 2, 1), date(2027, 4, 30), "annan region"
)
PARENTAL_LEAVE = TimelineItem("absence", "Föräldraledighet", date(2026, 7, 1), date(2026, 7, 28))


def render(*items: TimelineItem, today: date = TODAY) -> ET.Element:
    """Render and parse the timeline, as the browser would see it."""
    svg = render_timeline(
        start=START, planned_end=PLANNED_END, items=items, today=today, title="Tidslinje"
    )
    return ET.fromstring(svg)


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    """All <g> elements carrying `css_class`."""
    return [g for g in root.iter(f"{NS}g") if css_class in g.get("class", "").split()]


def bar(root: ET.Element, kind: str, label: str) -> ET.Element:
    """The bar (rect) of the one item of `kind` whose tooltip mentions `label`."""
    (item,) = [
        g for g in groups(root, f"timeline__item--{kind}") if label in g.findtext(f"{NS}title")
    ]
    return item.find(f"{NS}rect")


def texts(root: ET.Element) -> list[str]:
    """Every visible text and tooltip in the picture."""
    return ["".join(el.itertext()) for el in root.iter() if el.tag in (f"{NS}text", f"{NS}title")]


def test_svg_is_an_image_named_by_its_title_and_described_in_words():
    root = render(BT, ST, CHILDREN, PARENTAL_LEAVE)

    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title[@id='{title_id}']").text == "Tidslinje"
    assert root.find(f"{NS}desc[@id='{desc_id}']").text == (
        "ST från 2026-01-12 till 2031-08-08. BT 2026-01-12–2026-12-31. "
        "ST 2026-01-12–2031-08-08. "
        "Placering: Barnkliniken 2027-02-01–2027-04-30 (annan region). "
        "Frånvaro: Föräldraledighet 2026-07-01–2026-07-28. "
        "Idag 2026-05-03. Planerat slut 2031-08-08."
    )


def test_svg_scales_to_its_container():
    root = render(ST)

    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 1000 ")
    assert root.get("height") is None


def test_every_label_is_visible_or_a_tooltip_and_lanes_are_named():
    course = TimelineItem("course", "Ledarskap", date(2028, 3, 4), None)
    visit = TimelineItem("auskultation", "Radiologen", date(2027, 10, 3), date(2027, 10, 7))
    root = render(BT, ST, CHILDREN, PARENTAL_LEAVE, course, visit)

    shown = texts(root)
    for label in ("BT", "ST", "Barnkliniken", "Föräldraledighet", "Ledarskap", "Radiologen"):
        assert any(label in text for text in shown), label
    for lane in ("Fas", "Placeringar", "Kurser", "Frånvaro"):
        assert lane in shown


def test_absence_is_hatched_not_told_apart_by_colour_alone():
    root = render(ST, CHILDREN, PARENTAL_LEAVE)

    fill = bar(root, "absence", "Föräldraledighet").get("fill")
    assert fill.startswith("url(#")
    pattern = root.find(f".//{NS}pattern[@id='{fill[5:-1]}']")
    assert pattern.find(f"{NS}path") is not None
    assert fill != bar(root, "rotation", "Barnkliniken").get("fill")


def test_kinds_sharing_a_lane_have_different_fills_and_a_legend():
    visit = TimelineItem("auskultation", "Radiologen", date(2027, 6, 1), date(2027, 6, 30))
    root = render(BT, ST, CHILDREN, visit)

    fill = {
        kind: bar(root, kind, label).get("fill")
        for kind, label in (
            ("bt", "BT"),
            ("st", "ST"),
            ("rotation", "Barnkliniken"),
            ("auskultation", "Radiologen"),
        )
    }
    assert fill["bt"] != fill["st"]
    assert fill["rotation"] != fill["auskultation"]
    legend = "".join(groups(root, "timeline__legend")[0].itertext())
    for name in ("BT", "ST", "Placering", "Auskultation", "Idag", "Planerat slut"):
        assert name in legend


def test_user_text_is_escaped():
    evil = TimelineItem("rotation", '<script>alert("x")</script>', date(2027, 1, 1), None)
    svg = render_timeline(
        start=START, planned_end=PLANNED_END, items=[evil], today=TODAY, title="<b>Anna</b>"
    )
    root = ET.fromstring(svg)

    assert not [el for el in root.iter() if el.tag in (f"{NS}script", f"{NS}b")]
    assert '<script>alert("x")</script>' in "".join(groups(root, "timeline__item")[0].itertext())
    assert root.find(f"{NS}title").text == "<b>Anna</b>"


def test_overlapping_rotations_are_stacked_and_consecutive_ones_share_a_row():
    surgery = TimelineItem("rotation", "Kirurgen", date(2027, 4, 1), date(2027, 9, 30))
    medicine = TimelineItem("rotation", "Medicin", date(2027, 10, 1), date(2028, 9, 30))
    root = render(ST, CHILDREN, surgery, medicine)

    y = {
        name: bar(root, "rotation", name).get("y")
        for name in ("Barnkliniken", "Kirurgen", "Medicin")
    }
    assert y["Barnkliniken"] != y["Kirurgen"]
    assert y["Kirurgen"] == y["Medicin"]


def test_dates_outside_the_programme_are_clamped_to_it():
    sick = TimelineItem("absence", "Sjukskrivning", date(2020, 1, 1), date(2035, 1, 1))
    root = render(ST, sick)

    clamped, whole = bar(root, "absence", "Sjukskrivning"), bar(root, "st", "ST")
    assert (clamped.get("x"), clamped.get("width")) == (whole.get("x"), whole.get("width"))
    assert any("Sjukskrivning 2020-01-01–2035-01-01" in text for text in texts(root))


def test_items_ending_before_they_start_or_outside_the_programme_are_not_drawn():
    backwards = TimelineItem("rotation", "Baklänges", date(2027, 5, 1), date(2027, 4, 1))
    before = TimelineItem("course", "Gammal kurs", date(2019, 5, 1), None)
    root = render(ST, backwards, before)

    assert not any("Baklänges" in text for text in texts(root))
    assert not groups(root, "timeline__item--course")
    assert "Baklänges" not in [row.text for row in rows(backwards)]


def test_today_and_planned_end_are_marked_with_their_dates():
    root = render(ST)

    (today,) = groups(root, "timeline__marker--today")
    (end,) = groups(root, "timeline__marker--planned_end")
    assert "Idag 2026-05-03" in "".join(today.find(f"{NS}text").itertext())
    assert "Planerat slut 2031-08-08" in "".join(end.find(f"{NS}text").itertext())
    st_bar = bar(root, "st", "ST")
    right_edge = float(st_bar.get("x")) + float(st_bar.get("width"))
    assert float(end.find(f"{NS}line").get("x1")) == right_edge
    assert today.find(f"{NS}line").get("stroke-dasharray")


def test_no_inline_styles_for_the_content_security_policy():
    root = render(BT, ST, CHILDREN, PARENTAL_LEAVE)

    assert not [el for el in root.iter() if "style" in el.attrib or el.tag == f"{NS}style"]


def test_equal_input_gives_equal_output_whatever_the_order():
    items = [BT, ST, CHILDREN, PARENTAL_LEAVE]
    first = render_timeline(
        start=START, planned_end=PLANNED_END, items=items, today=TODAY, title="T"
    )
    again = render_timeline(
        start=START, planned_end=PLANNED_END, items=items[::-1], today=TODAY, title="T"
    )

    assert first == again


def test_long_labels_are_truncated_with_the_full_text_as_tooltip():
    name = "Kirurgiska kliniken vid Centralsjukhuset i Karlstad, avdelning 7"
    short = TimelineItem("rotation", name, date(2027, 1, 1), date(2027, 4, 30))
    root = render(ST, short)

    item = groups(root, "timeline__item--rotation")[0]
    assert item.find(f"{NS}text").text.endswith("…")
    assert name in item.find(f"{NS}title").text


def test_an_empty_lane_says_so():
    root = render(ST)

    assert "Inget registrerat" in texts(root)


def rows(*items: TimelineItem) -> list[TimelineRow]:
    """The table rows for `items`, with the usual today and planned end."""
    return timeline_rows(items=items, today=TODAY, planned_end=PLANNED_END)


def test_rows_give_the_same_facts_lane_by_lane_for_a_table():
    found = [
        (r.kind_label, r.text, r.start, r.end, r.note) for r in rows(PARENTAL_LEAVE, BT, CHILDREN)
    ]

    assert found == [
        ("BT", "BT", START, date(2026, 12, 31), ""),
        ("Placering", "Barnkliniken", date(2027, 2, 1), date(2027, 4, 30), "annan region"),
        ("Frånvaro", "Föräldraledighet", date(2026, 7, 1), date(2026, 7, 28), ""),
        ("Idag", "Idag", TODAY, None, ""),
        ("Planerat slut", "Planerat slut", PLANNED_END, None, ""),
    ]


@pytest.mark.slow
def test_fifty_items_render_in_well_under_ten_milliseconds():
    items = [
        TimelineItem("rotation", f"Klinik {i}", date(2026 + i % 5, 1 + i % 12, 1), date(2031, 1, 1))
        for i in range(50)
    ]
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        render_timeline(start=START, planned_end=PLANNED_END, items=items, today=TODAY, title="T")
        best = min(best, time.perf_counter() - began)

    assert best < 0.010
