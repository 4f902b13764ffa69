"""A file with any error is rejected as a whole, with the line number of every problem."""

from __future__ import annotations

import pytest

from assessments.models import Goal
from assessments.services import (
    CurriculumError,
    catalogue_load_shipped,
    curricula_load,
    curriculum_load,
)
from tests.assessments.conftest import HEADER, catalogue_state

ROW = "HSLF-FS 2021:8,geriatrik,Geriatrik,{code},{title},Text.,true\n"
GOOD = ROW.format(code="STc1", title="")


def row(code: str = "STc2", title: str = "", **cells: str) -> str:
    values = {
        "regulation": "HSLF-FS 2021:8",
        "specialty_slug": "geriatrik",
        "specialty_name": "Geriatrik",
        "code": code,
        "title": title,
        "requirement_text": "Text.",
        "placeholder": "true",
    }
    values.update(cells)
    return ",".join(values.values()) + "\n"


CASES = {
    "wrong column": (
        HEADER.replace("title", "titel") + GOOD,
        1,
        'okänd kolumn "titel" i rubrikraden',
    ),
    "missing column": (HEADER.replace(",placeholder", "") + GOOD, 1, "kolumnen placeholder saknas"),
    "unknown regulation": (
        HEADER + GOOD + row(regulation="SOSFS 2008:17"),
        3,
        'kolumnen regulation: okänd föreskrift "SOSFS 2008:17"',
    ),
    "bad code": (
        HEADER + GOOD + GOOD.replace("STc1", "STc2") + row("STx3"),
        4,
        'kolumnen code: okänd kod "STx3" för HSLF-FS 2021:8',
    ),
    "2015 code under 2021": (HEADER + row("c3"), 2, 'okänd kod "c3" för HSLF-FS 2021:8'),
    "2021 code under 2015": (
        HEADER + row("STc3", regulation="SOSFS 2015:8"),
        2,
        'okänd kod "STc3" för SOSFS 2015:8',
    ),
    "common goal in a specialty file": (
        HEADER + GOOD + row("STa3", "Medicinsk vetenskap"),
        3,
        "STa3 är ett gemensamt delmål",
    ),
    "duplicate code": (
        HEADER + GOOD + row("STc2") + row("STc2"),
        4,
        "STc2 för HSLF-FS 2021:8 står redan på rad 3",
    ),
    "missing code": (HEADER + GOOD + row(""), 3, "kolumnen code: värde saknas"),
    "missing specialty": (
        HEADER + row("STc1", specialty_slug="", specialty_name=""),
        2,
        "kolumnen specialty_slug: värde saknas",
    ),
    "missing specialty name": (
        HEADER + row(specialty_name=""),
        2,
        "kolumnen specialty_name: värde saknas",
    ),
    "missing regulation": (HEADER + GOOD + row(regulation=""), 3, "regulation: värde saknas"),
    "missing title of a common goal": (
        HEADER + row("STa1", specialty_slug="", specialty_name=""),
        2,
        "kolumnen title: värde saknas",
    ),
    "bad placeholder": (
        HEADER + GOOD + row(placeholder="ja"),
        3,
        'kolumnen placeholder: "ja" ska vara true eller false',
    ),
    "bell character": (HEADER + GOOD + row(title="Ti\x07tel"), 3, "title: otillåtet styrtecken"),
    "NUL character": (HEADER + GOOD + row(requirement_text="a\x00b"), 3, "(U+0000)"),
    "bidi override": (HEADER + row(title="\u202eltit"), 2, "(U+202E)"),
    "title too long": (HEADER + GOOD + row(title="x" * 201), 3, "title: högst 200 tecken"),
    "too few fields": (HEADER + GOOD + "HSLF-FS 2021:8,geriatrik\n", 3, "raden har 2 fält"),
    "two specialties": (
        HEADER + GOOD + row(specialty_slug="psykiatri", specialty_name="Psykiatri"),
        3,
        'filen gäller "geriatrik" (rad 2)',
    ),
    "two names": (HEADER + GOOD + row(specialty_name="Geriatri"), 3, '"Geriatri" skiljer sig'),
    "invalid slug": (HEADER + row(specialty_slug="Geri atrik"), 2, "inget giltigt kortnamn"),
    "unclosed quote": (HEADER + GOOD + row(title='"Öppen'), 3, "inte giltig CSV"),
    "bad directive value": (
        "# has_b_goals: kanske\n" + HEADER + GOOD,
        1,
        'inställningen has_b_goals: "kanske"',
    ),
    "unknown directive": ("# has_b_goal: false\n" + HEADER + GOOD, 1, 'okänd inställning "has_b'),
    "empty file": ("", 1, "filen är tom"),
    "only blank lines": ("\n\n", 3, "filen är tom"),
    "header only": (HEADER, 2, "filen innehåller inga delmål"),
    "not UTF-8": ((HEADER + GOOD + row(title="Äldre")).encode("latin-1"), 3, "inte UTF-8"),
    "renames a shipped specialty": (
        HEADER + row("STc1", specialty_slug="allmanmedicin", specialty_name="Allmän medicin"),
        2,
        'specialiteten "allmanmedicin" heter "Allmänmedicin"',
    ),
    "takes a shipped specialty's name": (
        HEADER + row("STc1", specialty_name="Psykiatri"),
        2,
        '"Psykiatri" är redan namnet på specialiteten "psykiatri"',
    ),
}


@pytest.mark.parametrize(("content", "line", "fragment"), CASES.values(), ids=CASES.keys())
def test_a_malformed_file_is_rejected_and_nothing_is_written(
    db, write_csv, content, line, fragment
):
    catalogue_load_shipped()
    before = catalogue_state()
    with pytest.raises(CurriculumError) as raised:
        curriculum_load(path=write_csv(content))
    assert any(
        message.startswith(f"rad {line}: ") and fragment in message
        for message in raised.value.messages
    ), raised.value.messages
    assert catalogue_state() == before


def test_every_problem_is_reported_at_once_in_line_order(db, write_csv):
    content = HEADER + row("STx1") + GOOD + row("STc2", placeholder="ja") + row("c9")
    with pytest.raises(CurriculumError) as raised:
        curriculum_load(path=write_csv(content))
    assert [message.split(":")[0] for message in raised.value.messages] == [
        "rad 2",
        "rad 4",
        "rad 5",
    ]


def test_valid_rows_before_an_error_are_not_written(db, write_csv):
    catalogue_load_shipped()
    goals_before = Goal.objects.count()
    content = HEADER + (
        "HSLF-FS 2021:8,allmanmedicin,Allmänmedicin,STc1,,Ny text.,false\n"
        "HSLF-FS 2021:8,allmanmedicin,Allmänmedicin,STc16,,Ny text.,false\n"
        "HSLF-FS 2021:8,allmanmedicin,Allmänmedicin,STc17,,Ny text.,kanske\n"
    )
    with pytest.raises(CurriculumError, match="rad 4: "):
        curriculum_load(path=write_csv(content))
    assert Goal.objects.count() == goals_before
    stc1 = Goal.objects.get(code="STc1", specialty__slug="allmanmedicin")
    assert stc1.is_placeholder


def test_one_bad_file_stops_the_whole_batch(db, write_csv):
    good = write_csv(HEADER + GOOD, name="geriatrik.csv")
    bad = write_csv(HEADER + row("STx1", specialty_slug="ortopedi"), name="ortopedi.csv")
    with pytest.raises(CurriculumError) as raised:
        curricula_load(paths=[good, bad])
    assert raised.value.messages[0].startswith("ortopedi.csv, rad 2: ")
    assert not Goal.objects.exists()


def test_two_files_may_not_give_one_name_to_two_specialties(db, write_csv):
    first = write_csv(HEADER + GOOD, name="a.csv")
    second = write_csv(HEADER + row(specialty_slug="geriatri"), name="b.csv")
    with pytest.raises(CurriculumError, match=r'b\.csv, rad 2: .*"Geriatrik" är redan namnet'):
        curricula_load(paths=[first, second])
    assert not Goal.objects.exists()


def test_a_multiline_requirement_text_is_kept_and_counted_by_its_first_line(db, write_csv):
    content = HEADER + '"HSLF-FS 2021:8",geriatrik,Geriatrik,STc1,,"Rad ett\r\nrad två",true\n'
    content += row(placeholder="nej")
    with pytest.raises(CurriculumError, match="rad 4: "):
        curriculum_load(path=write_csv(content))
    curriculum_load(path=write_csv(content.rsplit("\n", 2)[0] + "\n"))
    assert Goal.objects.get(code="STc1").requirement_text == "Rad ett\nrad två"
