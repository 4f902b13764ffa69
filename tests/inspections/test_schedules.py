"""When each region's units are due for review, and what moves the date."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from inspections.models import Inspection
from obligations.unit_reviews import unit_reviews
from regions.models import Unit
from regions.tenancy import region_context
from tests.factories import world_build

REGIONS = {
    "blekinge": "Region Blekinge",
    "norrbotten": "Region Norrbotten",
    "ostergotland": "Region Östergötland",
    "jonkoping": "Region Jönköping",
    "halland": "Region Halland",
}


def due_dates(world) -> dict[str, date | None]:
    with region_context(world.region):
        unit = Unit.objects.get(pk=world.unit.pk)
        row = unit_reviews(world.region, [unit], timezone.localdate())[0]
    return {c.code: c.due for c in row.reviews}


@pytest.mark.parametrize(
    ("slug", "first_review"),
    [
        ("blekinge", date(2028, 3, 1)),  # five years from the first trainee
        ("norrbotten", date(2028, 3, 1)),
        ("ostergotland", date(2028, 3, 1)),
        ("jonkoping", date(2028, 3, 1)),
        ("halland", date(2025, 3, 1)),  # a unit new to ST: within two years
    ],
)
def test_a_new_unit_is_first_due_by_its_regions_rule(db, slug, first_review):
    world = world_build(slug=slug, name=REGIONS[slug])
    Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2023, 3, 1))
    assert due_dates(world)["external_inspection"] == first_review


@pytest.mark.parametrize("slug", sorted(REGIONS))
def test_every_region_reviews_again_five_years_after_the_last(db, slug):
    world = world_build(slug=slug, name=REGIONS[slug])
    Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2015, 1, 1))
    Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.EXTERNAL,
        performed_on=date(2024, 5, 14),
    )
    assert due_dates(world)["external_inspection"] == date(2029, 5, 14)


def test_a_planned_review_does_not_count_until_it_has_taken_place(db, login):
    world = world_build(slug="halland", name="Region Halland")
    Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2023, 3, 1))
    planned = Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.EXTERNAL,
        planned_on=date(2027, 2, 1),
    )
    assert due_dates(world)["external_inspection"] == date(2025, 3, 1)  # still overdue
    Inspection.unscoped.filter(pk=planned.pk).update(performed_on=date(2026, 2, 2))
    assert due_dates(world)["external_inspection"] == date(2031, 2, 2)


def test_blekinge_needs_a_stins_self_assessment_every_two_years(db):
    world = world_build(slug="blekinge", name=REGIONS["blekinge"])
    Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2023, 3, 1))
    assert due_dates(world)["self_assessment"] == date(2025, 3, 1)
    Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.SELF_ASSESSMENT,
        performed_on=date(2026, 1, 15),
    )
    assert due_dates(world)["self_assessment"] == date(2028, 1, 15)


def test_only_blekinge_and_ostergotland_schedule_self_assessments(db):
    codes = {}
    for slug, name in REGIONS.items():
        world = world_build(slug=slug, name=name)
        Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2023, 3, 1))
        codes[slug] = set(due_dates(world))
    assert {slug for slug, c in codes.items() if "self_assessment" in c} == {
        "blekinge",
        "ostergotland",
    }
    assert all("external_inspection" in c for c in codes.values())


def test_the_overview_lists_overdue_units_first_with_blekinges_inspection_measures(world, login):
    Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2024, 1, 1))
    Unit.unscoped.filter(pk=world.other_unit.pk).update(first_trainee_start=date(2015, 1, 1))
    page = login(world.regional_study_director).get("/blekinge/granskningar/").text
    table = page[page.index('id="units-heading"') :]
    assert table.index(world.other_unit.name) < table.index(world.unit.name)  # overdue first
    assert "2020-01-01" in table  # the other unit's review fell due five years after 2015
    measures = page[page.index('id="measures-heading"') : page.index('id="units-heading"')]
    assert "Andel verksamheter med extern granskning de senaste fem åren" in measures
    assert "Andel verksamheter med egen värdering enligt STINS de senaste tre åren" in measures
    assert "skriftligt ST-kontrakt" not in measures  # only the two measures about reviews
