"""Certificate drafts: every form carries its official labels in order, and the right values."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command

from regions.rules.engine import Event, TraineeFacts, planned_end
from stprogram.pdf import BASE_URL, StaticOnlyFetcher, static_file
from tests.trainees.demo_drafts import demo_drafts_seeded
from trainees.certificates import service_list as sv
from trainees.certificates.drafts import Draft, find, packet_drafts
from trainees.certificates.registry import FORMS_2015, FORMS_2021, FormSpec
from trainees.certificates.render import certificate_pdf, packet_pdf
from trainees.models import Activity, Rotation, Trainee


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed and line breaks after hyphens joined."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return normalise(" ".join(page.extract_text() for page in reader.pages))


def normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"- ", "-", text)


def assert_labels_in_order(form: FormSpec, text: str) -> None:
    position = 0
    for label in form.labels:
        found = text.find(normalise(label), position)
        assert found >= 0, f"{form.key}: «{label}» saknas efter position {position}"
        position = found + len(normalise(label))
    assert normalise(form.footer) in text


# --- FTE months, by hand ---------------------------------------------------------------


def test_month_span_counts_calendar_months_and_a_share_of_the_next():
    assert sv.month_span(date(2021, 2, 1), date(2021, 7, 31)) == 6
    # Oct 4 → Nov 4 has 31 days; Oct 4..Oct 18 are 15 of them.
    assert sv.month_span(date(2023, 9, 4), date(2023, 10, 18)) == 1 + Fraction(15, 31)
    assert sv.month_span(date(2024, 1, 1), date(2024, 12, 31)) == 12


def test_fte_months_take_extent_and_absence_into_account():
    # 12 months at 75 % = 9.0
    assert sv.fte_months(date(2024, 1, 1), date(2024, 12, 31), 75, []) == Decimal("9.0")
    # 12 months with one month of parental leave (March) at 100 % = 11.0
    leave = [sv.Span(date(2024, 3, 1), date(2024, 3, 31))]
    assert sv.fte_months(date(2024, 1, 1), date(2024, 12, 31), 100, leave) == Decimal("11.0")
    # 1 month + 15/31 at 50 % = 0.7419… → 0.7
    assert sv.fte_months(date(2023, 9, 4), date(2023, 10, 18), 50, []) == Decimal("0.7")


def test_service_rows_split_the_home_unit_around_rotations():
    home = sv.Placement("VC Norr", date(2024, 1, 1), date(2024, 12, 31), 80)
    rotation = sv.Placement("Medicin", date(2024, 4, 1), date(2024, 6, 30), 100)
    leave = [sv.Span(date(2024, 11, 1), date(2024, 11, 30))]
    rows = sv.service_rows(home, [rotation], leave)
    assert [(r.place, r.start, r.end, r.fte_months) for r in rows] == [
        ("VC Norr", date(2024, 1, 1), date(2024, 3, 31), Decimal("2.4")),  # 3 × 0.8
        ("Medicin", date(2024, 4, 1), date(2024, 6, 30), Decimal("3.0")),
        ("VC Norr", date(2024, 7, 1), date(2024, 12, 31), Decimal("4.0")),  # (6 − 1) × 0.8
    ]
    assert rows[2].absence_days == 30
    assert sv.total(rows) == Decimal("9.4")


def test_serving_until_the_planned_end_gives_exactly_60_months_in_the_rows_and_the_sum():
    """Spec 1.1: the list and the planned end share one clock, so never 59.9 of 60."""
    start = date(2024, 1, 31)
    leave = [
        sv.Span(date(2025, 3, 3), date(2025, 9, 14)),
        sv.Span(date(2027, 2, 1), date(2027, 2, 11)),
    ]
    facts = TraineeFacts(regulation="SOSFS 2015:8", start=start)
    events = tuple(Event(type="absence", start=a.start, end=a.end) for a in leave)
    end = planned_end(facts, events, date(2030, 1, 1))
    rotations = [
        sv.Placement("Medicin", date(2024, 8, 17), date(2024, 11, 29), 100),
        sv.Placement("Psykiatri", date(2026, 5, 2), date(2026, 7, 18), 100),
    ]
    rows = sv.service_rows(sv.Placement("VC Norr", start, end, 100), rotations, leave)
    assert sv.total(rows) == Decimal("60.0")
    assert sum(r.fte_months for r in rows) == Decimal("60.0")


def test_dates_are_written_as_the_forms_write_them():
    assert sv.yymmdd(date(2021, 2, 1)) == "210201"
    assert sv.period(date(2021, 2, 1), date(2021, 7, 31)) == "210201–210731"


# --- Every form, filled from the demo records -------------------------------------------


@pytest.fixture(scope="module")
def demo_drafts(django_db_setup, django_db_blocker) -> dict[str, tuple[Trainee, list[Draft]]]:
    with django_db_blocker.unblock(), demo_drafts_seeded(today=date(2026, 11, 23)) as drafts:
        yield drafts


def _first(drafts: list[Draft], form: FormSpec) -> Draft:
    return next(d for d in drafts if d.form == form)


@pytest.mark.parametrize("form", FORMS_2021, ids=lambda f: f.key)
def test_every_2021_form_carries_its_labels_in_order(demo_drafts, form):
    trainee, drafts = demo_drafts["st2021@halland.demo"]
    text = pdf_text(certificate_pdf(trainee, _first(drafts, form)))
    assert_labels_in_order(form, text)
    assert "Johan" in text
    assert "Ek" in text
    assert "19930921-" in text


@pytest.mark.parametrize("form", FORMS_2015, ids=lambda f: f.key)
def test_every_2015_form_carries_its_labels_in_order(demo_drafts, form):
    trainee, drafts = demo_drafts["st2015@blekinge.demo"]
    text = pdf_text(certificate_pdf(trainee, _first(drafts, form)))
    assert_labels_in_order(form, text)
    assert "Lind" in text
    assert "Sara" in text
    assert "19880412-" in text


def test_clinical_service_certificate_is_filled_from_the_rotation(demo_drafts):
    trainee, drafts = demo_drafts["st2021@halland.demo"]
    rotation = Rotation.unscoped.get(trainee=trainee, unit_name__startswith="Medicinkliniken")
    draft = find(drafts, f"klinisk-tjanstgoring-{rotation.pk}")
    text = pdf_text(certificate_pdf(trainee, draft))
    assert "STc1, STc2" in text
    assert f"{rotation.start:%y%m%d}–{rotation.end:%y%m%d}" in text
    assert "Sidotjänstgöring i internmedicin" in text
    # The rotation's own supervisor certifies it, not the main supervisor who signed goals off.
    assert "Lars Medin" in text
    assert "Karin Holm" not in text
    assert "Specialitet som ansökan avser Allmänmedicin" in text
    assert "UTKAST" not in text


def test_course_certificate_names_the_signing_supervisor(demo_drafts):
    trainee, drafts = demo_drafts["st2021@halland.demo"]
    course = Activity.unscoped.get(trainee=trainee, title="Ledarskap för ST-läkare")
    text = pdf_text(certificate_pdf(trainee, find(drafts, f"kurs-{course.pk}")))
    assert "Delmål som intyget avser (t.ex. STa1, STb1, STc1) STa5" in text
    assert "Kursens ämne (anges i rubrikform) Ledarskap för ST-läkare" in text
    assert "Karin Holm" in text
    assert "Allmänmedicin" in text
    assert "Vårdcentralen Falkenberg, Region Halland" in text


def test_draft_without_signatures_is_marked_utkast(demo_drafts):
    trainee, drafts = demo_drafts["st2021@halland.demo"]
    draft = find(drafts, "specialistkompetens")
    assert not draft.complete
    assert "UTKAST" in pdf_text(certificate_pdf(trainee, draft))


def test_bt_service_list_has_fte_months_sum_and_its_two_parts(demo_drafts):
    trainee, drafts = demo_drafts["st2021@halland.demo"]
    text = pdf_text(certificate_pdf(trainee, find(drafts, "bt-tjanstgoring")))
    # 230904–240303 = 6 months; 240304–240603 = 3 months; 240604–240831 = 2 + 28/31.
    assert "230904–240303 100 6,0" in text
    assert "240304–240603 100 3,0" in text
    assert "240604–240831 100 2,9" in text
    assert "Summa 11,9" in text
    primary = text.split("Del av tjänstgöringen inom primärvård")[1]
    assert "Sammanlagt 8,9 månader på heltid" in primary.split("akut sjukvård")[0]
    assert "Akutmottagningen, Hallands sjukhus Halmstad 240304–240603: 3,0" in text


def test_2015_application_lists_the_service_and_numbers_the_attachments(demo_drafts):
    trainee, drafts = demo_drafts["st2015@blekinge.demo"]
    application = find(drafts, "ansokan")
    text = pdf_text(certificate_pdf(trainee, application))
    # Start 210201; Medicinkliniken 220201–220801; parental leave 230201–230301 (29 days).
    assert "210201–220131 100 12,0" in text
    assert "220201–220801 100 6,0" in text
    assert "Frånvaro 29 dagar avräknad 220802–260301 100 42,0" in text
    assert "Summa 60,0" in text
    assert "Kurser (SOSFS-bilaga 5) Bilaga nr 4, 5" in text
    numbers = [d.number for d in packet_drafts(drafts, "st")[1:]]
    assert numbers == list(range(1, len(numbers) + 1))


def test_packet_numbers_every_certificate_as_listed_in_the_application(demo_drafts):
    trainee, drafts = demo_drafts["st2021@halland.demo"]
    members = packet_drafts(drafts, "st")
    content, pages = packet_pdf(trainee, members)
    text = pdf_text(content)
    assert pages >= len(members)
    assert text.index("ANSÖKAN om bevis om specialistkompetens") < text.index("Bilaga nr: 1 ")
    for draft in members[1:]:
        assert f"Bilaga nr: {draft.number} " in text
    assert "Kliniska tjänstgöringar under handledning Bilaga/-or nr 4, 5" in text


# --- The renderer fetches nothing but our static files -----------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/static/css/certificate.css",
        "file:///etc/passwd",
        f"{BASE_URL}static/../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    assert static_file(url) is None
    with pytest.raises(ValueError, match="static files"):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_the_print_css_and_the_font():
    css = StaticOnlyFetcher().fetch(f"{BASE_URL}static/css/certificate.css")
    assert b"@font-face" in css.read()
    font = static_file(f"{BASE_URL}static/fonts/DejaVuSans.ttf")
    assert font is not None
    assert font.stat().st_size > 100_000
    assert (Path(font).parent / "DejaVu-LICENSE.txt").exists()


def test_certificate_packet_command_writes_every_form(demo_drafts, tmp_path, db):
    for email, forms in (
        ("st2015@blekinge.demo", FORMS_2015),
        ("st2021@halland.demo", FORMS_2021),
    ):
        out = tmp_path / email.split("@")[0]
        call_command(
            "certificate_packet", "--trainee", email, "--out", str(out), stdout=io.StringIO()
        )
        files = sorted(p.name for p in out.iterdir())
        assert not any("1988" in name or "1993" in name for name in files)
        for form in forms:
            [name, *_] = [n for n in files if f"-{form.key}-" in n]
            assert_labels_in_order(form, pdf_text((out / name).read_bytes()))
        assert "ansokan-st.pdf" in files
    assert "ansokan-bt.pdf" in files
