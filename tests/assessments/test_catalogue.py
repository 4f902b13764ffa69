"""The shipped catalogue and the goal set a trainee sees for a specialty and regulation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from assessments.models import Curriculum, Goal, Regulation, Specialty
from assessments.selectors import goals_for
from assessments.services import catalogue_load_shipped, curriculum_load
from tests.assessments.conftest import HEADER, catalogue_state

S15, S21 = Regulation.SOSFS_2015_8, Regulation.HSLF_FS_2021_8


def codes(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(1, count + 1)]


COMMON_2015 = codes("a", 6) + codes("b", 5)
COMMON_2021 = codes("STa", 7) + codes("STb", 4)


def goal_codes(slug: str, regulation: str, *, include_bt: bool = False) -> list[str]:
    specialty = Specialty.objects.get(slug=slug)
    return [goal.code for goal in goals_for(specialty, regulation, include_bt=include_bt)]


@pytest.mark.parametrize(
    ("regulation", "include_bt", "expected"),
    [
        (S15, False, COMMON_2015 + codes("c", 14)),
        (S15, True, COMMON_2015 + codes("c", 14)),
        (S21, False, COMMON_2021 + codes("STc", 15)),
        (S21, True, codes("BT", 18) + COMMON_2021 + codes("STc", 15)),
    ],
)
def test_general_practice_gets_its_documented_goal_set(db, regulation, include_bt, expected):
    catalogue_load_shipped()
    assert goal_codes("allmanmedicin", regulation, include_bt=include_bt) == expected


@pytest.mark.parametrize("slug", ["psykiatri", "internmedicin"])
def test_other_shipped_specialties_have_common_goals_and_numbered_c_goals(db, slug):
    catalogue_load_shipped()
    for regulation, common, prefix in ((S15, COMMON_2015, "c"), (S21, COMMON_2021, "STc")):
        found = goal_codes(slug, regulation)
        own = found[len(common) :]
        assert found[: len(common)] == common
        assert own == codes(prefix, len(own))
        assert 12 <= len(own) <= 16


def test_a_specialty_sees_only_its_own_c_goals(db):
    catalogue_load_shipped()
    psychiatry = goals_for(Specialty.objects.get(slug="psykiatri"), S21)
    assert set(psychiatry.values_list("specialty__slug", flat=True)) == {None, "psykiatri"}
    assert set(psychiatry.values_list("regulation", flat=True)) == {S21}


def test_the_shipped_catalogue_has_the_expected_sizes(db):
    catalogue_load_shipped()
    assert Goal.objects.filter(specialty=None, regulation=S15).count() == 11
    assert Goal.objects.filter(specialty=None, regulation=S21).count() == 11 + 18
    assert Curriculum.objects.count() == 6
    assert set(Specialty.objects.values_list("slug", "name")) == {
        ("allmanmedicin", "Allmänmedicin"),
        ("psykiatri", "Psykiatri"),
        ("internmedicin", "Internmedicin"),
    }


def test_only_the_imported_psychiatry_2015_goals_are_official_text(db):
    catalogue_load_shipped()
    official = Goal.objects.filter(is_placeholder=False)
    assert {(g.specialty.slug, g.regulation) for g in official} == {("psykiatri", S15)}
    assert goal_codes("psykiatri", S15) == COMMON_2015 + codes("c", 13)
    assert all(goal.certificate_kinds and goal.activities for goal in official)
    c_goals = Goal.objects.filter(group=Goal.Group.C, is_placeholder=True)
    assert set(c_goals.values_list("title", flat=True)) == {""}
    assert {goal.requirement_text for goal in c_goals} == {
        "Kompetenskravets text enligt Socialstyrelsens målbeskrivning (ej inläst)."
    }


def test_goal_names_read_like_the_regulation(db):
    catalogue_load_shipped()
    assert str(Goal.objects.get(code="STa3")) == "STa3 Medicinsk vetenskap"
    assert str(Goal.objects.get(code="BT18")) == "BT18 Dödsbevis och dödsorsaksintyg"
    assert str(Goal.objects.get(code="c5", specialty__slug="psykiatri")) == "c5"


def test_loading_the_catalogue_again_changes_nothing(db):
    catalogue_load_shipped()
    before = catalogue_state()
    results = catalogue_load_shipped()
    assert catalogue_state() == before
    assert all(r.created == r.updated == r.not_in_file == 0 for r in results)
    assert sum(r.unchanged for r in results) == Goal.objects.count()


def test_the_catalogue_reuses_a_specialty_created_elsewhere(world):
    catalogue_load_shipped()
    assert Specialty.objects.filter(slug="allmanmedicin").count() == 1
    trainee = world.trainee
    goals = goals_for(trainee.specialty, trainee.regulation)
    assert goals.filter(code="STc15").exists()


def test_reloading_an_edited_file_updates_only_what_changed(db, write_csv):
    catalogue_load_shipped()
    path = write_csv(
        HEADER + "HSLF-FS 2021:8,allmanmedicin,Allmänmedicin,STc1,,Den officiella texten.,false\n"
    )
    result = curriculum_load(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    goal = Goal.objects.get(code="STc1", specialty__slug="allmanmedicin")
    assert (goal.requirement_text, goal.is_placeholder) == ("Den officiella texten.", False)
    # The other fourteen are kept: assessments may already refer to them.
    assert result.not_in_file == 14
    assert len(goal_codes("allmanmedicin", S21)) == 11 + 15


def write_specialty(write_csv: Callable[..., Path], *directives: str) -> Path:
    rows = "".join(f"HSLF-FS 2021:8,klinisk-kemi,Klinisk kemi,STc{n},,Text.,true\n" for n in (1, 2))
    return write_csv("".join(f"# {d}\n" for d in directives) + HEADER + rows)


def test_a_specialty_without_patient_contact_has_no_b_goals(db, write_csv):
    catalogue_load_shipped()
    curriculum_load(path=write_specialty(write_csv, "has_b_goals: false", "source: Test"))
    assert goal_codes("klinisk-kemi", S21) == [*codes("STa", 7), "STc1", "STc2"]
    curriculum = Curriculum.objects.get(specialty__slug="klinisk-kemi")
    assert (curriculum.has_b_goals, curriculum.source_note) == (False, "Test")
    assert goal_codes("allmanmedicin", S21)[7:11] == codes("STb", 4)


def test_a_specialty_without_a_loaded_file_gets_the_common_goals(db):
    catalogue_load_shipped()
    specialty = Specialty.objects.create(slug="ortopedi", name="Ortopedi")
    assert [goal.code for goal in goals_for(specialty, S15)] == COMMON_2015


def test_the_goal_set_costs_one_query(db, django_assert_num_queries):
    catalogue_load_shipped()
    specialty = Specialty.objects.get(slug="allmanmedicin")
    with django_assert_num_queries(1):
        assert len(list(goals_for(specialty, S21, include_bt=True))) == 18 + 11 + 15


def test_the_database_refuses_a_second_common_goal_with_the_same_code(db):
    catalogue_load_shipped()
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(regulation=S21, code="STa3", group=Goal.Group.A, title="Dubblett")


def test_the_database_refuses_a_c_goal_without_a_specialty(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(regulation=S21, code="STc1", group=Goal.Group.C)


def test_the_example_in_the_documentation_loads(db, write_csv):
    document = (Path(__file__).parents[2] / "docs" / "curriculum.md").read_text()
    example = document.split("```csv\n")[1].split("```")[0]
    result = curriculum_load(path=write_csv(example, name="geriatrik.csv"))
    assert (result.specialty, result.created) == ("Geriatrik", 2)
    first = Goal.objects.get(specialty__slug="geriatrik", code="STc1")
    assert (first.requirement_text, first.is_placeholder) == (
        "Första kompetenskravet.\nAndra stycket.",
        False,
    )
