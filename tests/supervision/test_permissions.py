"""The supervision doors: who manages an action plan, confirms it and marks a measure done."""

from __future__ import annotations

from datetime import date

import pytest

from regions.tenancy import region_context
from supervision.action_plans import action_plan_create
from supervision.models import ActionMeasure
from supervision.permissions import (
    may_confirm_action_plan,
    may_manage_action_plan,
    may_mark_measure_done,
    plannable_trainees,
)


@pytest.fixture(autouse=True)
def _in_blekinge(world):
    """The doors are asked inside the region, as the middleware leaves a request."""
    with region_context(world.region):
        yield


@pytest.fixture
def plan(world):
    return action_plan_create(
        trainee=world.trainee,
        by=world.study_director,
        problem_areas="Ligger efter med bedömningar.",
        follow_up_on=date(2025, 6, 1),
        measures=[
            {
                "description": "Två Mini-CEX",
                "owner_id": world.trainee.user.pk,
                "due": date(2025, 5, 15),
            },
            {
                "description": "Boka samtal",
                "owner_id": world.supervisor.pk,
                "due": date(2025, 4, 1),
            },
        ],
    )


def test_the_study_director_and_main_supervisor_manage_the_plan_nobody_else(world, elsewhere):
    assert may_manage_action_plan(world.study_director, world.trainee)
    assert may_manage_action_plan(world.supervisor, world.trainee)
    for user in (world.trainee.user, world.head_of_unit, world.regional_admin, world.no_role):
        assert not may_manage_action_plan(user, world.trainee)
    assert not may_manage_action_plan(elsewhere.study_director, world.trainee)


def test_the_list_door_agrees_with_the_single_door(world):
    trainees = [world.trainee, world.other_trainee]
    assert plannable_trainees(world.study_director, trainees) == {world.trainee.pk}
    assert plannable_trainees(world.head_of_unit, trainees) == set()


def test_participants_confirm_and_outsiders_do_not(world, elsewhere, plan):
    for user in (world.trainee.user, world.supervisor, world.study_director, world.head_of_unit):
        assert may_confirm_action_plan(user, plan)
    for user in (world.regional_admin, world.no_role, elsewhere.study_director):
        assert not may_confirm_action_plan(user, plan)


def test_a_measure_is_marked_done_by_its_owner_or_a_manager(world, plan):
    own, other = ActionMeasure.objects.filter(plan=plan).order_by("description")
    trainee = world.trainee.user
    assert own.owner_id == world.supervisor.pk
    assert may_mark_measure_done(world.supervisor, own, manages=False)
    assert not may_mark_measure_done(trainee, own, manages=False)
    assert may_mark_measure_done(trainee, other, manages=False)
    assert may_mark_measure_done(world.study_director, other, manages=True)


def test_the_trainee_is_offered_done_only_on_their_own_measure(world, plan, login):
    own = ActionMeasure.objects.get(plan=plan, owner=world.trainee.user)
    other = ActionMeasure.objects.exclude(pk=own.pk).get(plan=plan)
    base = f"/blekinge/st/{world.trainee.pk}/atgardsplan/{plan.pk}/"
    client = login(world.trainee.user)
    page = client.get(base).text
    assert page.count("Markera som klar") == 1
    assert f"atgard/{own.pk}/klar/" in page
    assert f"atgard/{other.pk}/klar/" not in page
    assert client.post(f"{base}atgard/{other.pk}/klar/").status_code == 403
    assert client.post(f"{base}atgard/{own.pk}/klar/").status_code == 302


def test_the_close_form_is_shown_exactly_to_who_may_close(world, plan, login):
    base = f"/blekinge/st/{world.trainee.pk}/atgardsplan/{plan.pk}/"
    assert "Avsluta planen" in login(world.study_director).get(base).text
    head = login(world.head_of_unit)
    assert "Avsluta planen" not in head.get(base).text
    assert head.post(f"{base}avsluta/", {"outcome": "Klart."}).status_code == 403
