"""The review doors: who manages a unit's reviews, approves a plan and marks a measure done."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from inspections.models import InspectionMeasure
from inspections.permissions import (
    inspection_for,
    managed_inspection_for,
    may_approve_plan,
    may_manage_unit,
    may_mark_measure_done,
)
from regions.models import Membership, Role
from regions.tenancy import region_context
from tests.door_requests import request_as


@pytest.fixture(autouse=True)
def _in_blekinge(world):
    """The doors are asked inside the region, as the middleware leaves a request."""
    with region_context(world.region):
        yield


@pytest.fixture
def measure(world, review):
    return InspectionMeasure.unscoped.create(
        region=world.region,
        inspection=review,
        description="Schemalägg handledning",
        owner=world.supervisor,
        due=date(2027, 1, 1),
    )


def test_unit_staff_and_the_regional_study_director_manage_the_admin_only_reads(world, review):
    for user in (world.head_of_unit, world.study_director, world.regional_study_director):
        assert may_manage_unit(request_as(user, world.region), world.unit)
    admin = request_as(world.regional_admin, world.region)
    assert not may_manage_unit(admin, world.unit)
    assert inspection_for(admin, review.pk) == review
    with pytest.raises(PermissionDenied):
        managed_inspection_for(admin, review.pk)


def test_staff_of_another_unit_do_not_find_the_review(world, review):
    Membership.unscoped.create(
        user=world.no_role, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    other_head = request_as(world.no_role, world.region)
    assert not may_manage_unit(other_head, world.unit)
    with pytest.raises(Http404):
        inspection_for(other_head, review.pk)


def test_only_the_head_of_unit_approves_the_plan(world):
    assert may_approve_plan(request_as(world.head_of_unit, world.region), world.unit)
    for user in (world.study_director, world.regional_study_director, world.regional_admin):
        assert not may_approve_plan(request_as(user, world.region), world.unit)


def test_a_measure_is_marked_done_by_its_owner_or_a_manager(world, measure):
    assert may_mark_measure_done(request_as(world.supervisor, world.region), measure)
    assert may_mark_measure_done(request_as(world.study_director, world.region), measure)
    assert not may_mark_measure_done(request_as(world.regional_admin, world.region), measure)


def test_the_approve_button_is_shown_exactly_to_the_head_of_unit(world, review, measure, login):
    url = f"/blekinge/granskningar/{review.pk}/"
    assert "godkann/" in login(world.head_of_unit).get(url).text
    director = login(world.study_director)
    assert "godkann/" not in director.get(url).text
    assert director.post(url + "godkann/").status_code == 403


def test_the_detail_page_asks_no_query_per_measure(
    world, review, measure, login, django_assert_max_num_queries
):
    client = login(world.head_of_unit)
    url = f"/blekinge/granskningar/{review.pk}/"
    client.get(url)  # the session and caches warm
    with CaptureQueriesContext(connection) as one_measure:
        client.get(url)
    for n in range(5):
        InspectionMeasure.unscoped.create(
            region=world.region,
            inspection=review,
            description=f"Åtgärd {n}",
            owner=world.supervisor,
            due=date(2027, 1, 1),
        )
    with django_assert_max_num_queries(len(one_measure)):
        page = client.get(url)
    assert page.text.count("Markera som klar") == 6
