"""Action plans: drawn up for a trainee at risk, confirmed, followed up, reminded."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from stprogram.reminders import outbox
from stprogram.signing import signatures_of
from supervision.models import ActionMeasure, ActionPlan
from tests.conftest import reauthenticated


def url(world, suffix: str = "ny/") -> str:
    return f"/blekinge/st/{world.trainee.pk}/atgardsplan/{suffix}"


def plan_post(world, **extra: str) -> dict[str, str]:
    data = {
        "problem_areas": "Få handledarsamtal och inga bedömningar under året.",
        "follow_up_on": "2025-06-01",
        "atgard-TOTAL_FORMS": "3",
        "atgard-INITIAL_FORMS": "0",
        "atgard-MIN_NUM_FORMS": "1",
        "atgard-MAX_NUM_FORMS": "5",
        "atgard-0-description": "Boka handledarsamtal varannan vecka",
        "atgard-0-owner": str(world.supervisor.pk),
        "atgard-0-due": "2025-04-01",
        "atgard-1-description": "Två Mini-CEX före sommaren",
        "atgard-1-owner": str(world.trainee.user.pk),
        "atgard-1-due": "2025-05-15",
    }
    data.update(extra)
    return data


@pytest.fixture
def plan(world):
    from supervision.action_plans import action_plan_create

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
            }
        ],
    )


def test_the_study_director_draws_up_a_plan_with_measures(world, login):
    client = login(world.study_director)
    assert client.get(url(world)).status_code == 200
    response = client.post(url(world), plan_post(world))
    plan = ActionPlan.unscoped.get()
    assert response.status_code == 302
    assert response["Location"] == url(world, f"{plan.pk}/")
    assert [(m.description, m.owner, m.due) for m in ActionMeasure.unscoped.filter(plan=plan)] == [
        ("Boka handledarsamtal varannan vecka", world.supervisor, date(2025, 4, 1)),
        ("Två Mini-CEX före sommaren", world.trainee.user, date(2025, 5, 15)),
    ]
    page = client.get(url(world, f"{plan.pk}/")).text
    assert "Få handledarsamtal" in page
    assert "Huvudhandledare: har inte bekräftat" in page


def test_bad_input_gets_swedish_messages_and_nothing_is_saved(world, login):
    client = login(world.study_director)
    no_measures = plan_post(world)
    for key in list(no_measures):
        if key.startswith("atgard-") and key[7].isdigit():
            del no_measures[key]
    response = client.post(url(world), no_measures)
    assert response.status_code == 200
    assert "Ange minst en åtgärd med ansvarig och datum." in response.text
    stranger = client.post(url(world), plan_post(world, **{"atgard-0-owner": "999999"}))
    assert "Välj ett giltigt alternativ" in stranger.text
    bad_date = client.post(url(world), plan_post(world, follow_up_on="31/31"))
    assert "Fyll i ett giltigt datum." in bad_date.text
    assert not ActionPlan.unscoped.exists()
    assert not ActionMeasure.unscoped.exists()


def test_only_the_study_director_or_main_supervisor_draws_up_a_plan(world, elsewhere, login):
    assert login(world.trainee.user).post(url(world), plan_post(world)).status_code == 403
    assert login(world.head_of_unit).post(url(world), plan_post(world)).status_code == 403
    assert login(elsewhere.study_director).post(url(world), plan_post(world)).status_code == 404
    assert login(world.supervisor).post(url(world), plan_post(world)).status_code == 302
    assert ActionPlan.unscoped.count() == 1


def test_participants_confirm_and_outsiders_see_nothing(world, elsewhere, plan, login, client):
    assert login(elsewhere.study_director).get(url(world, f"{plan.pk}/")).status_code == 404
    other = login(world.other_trainee.user)
    assert other.get(url(world, f"{plan.pk}/")).status_code == 404
    trainee = reauthenticated(login(world.trainee.user))
    trainee.post(url(world, f"{plan.pk}/bekrafta/"), {"party": "trainee"})
    trainee.post(url(world, f"{plan.pk}/bekrafta/"), {"party": "study_director"})
    assert [(s.party, s.user) for s in signatures_of(plan)] == [("trainee", world.trainee.user)]
    page = trainee.get(url(world, f"{plan.pk}/")).text
    assert "ST-läkare: Trainee Traineeblekinge" in page


def test_measures_are_reminded_to_their_owner_until_done(world, plan, login):
    measure = ActionMeasure.unscoped.get(plan=plan)
    day = measure.due - timedelta(days=7)
    outbox.scan(
        on=day, now=datetime(day.year, day.month, day.day, 8, tzinfo=ZoneInfo("Europe/Stockholm"))
    )
    [message] = [m for m in mail.outbox if "Åtgärd i åtgärdsplan" in m.subject]
    assert message.to == [world.trainee.user.email]
    assert f"/blekinge/st/{world.trainee.pk}/atgardsplan/{plan.pk}/" in message.body

    login(world.trainee.user).post(url(world, f"{plan.pk}/atgard/{measure.pk}/klar/"))
    measure.refresh_from_db()
    assert measure.done_on is not None
    later = measure.due
    mail.outbox.clear()
    outbox.scan(
        on=later,
        now=datetime(later.year, later.month, later.day, 8, tzinfo=ZoneInfo("Europe/Stockholm")),
    )
    assert not [m for m in mail.outbox if "Åtgärd i åtgärdsplan" in m.subject]


def test_closing_needs_an_outcome(world, plan, login):
    client = login(world.study_director)
    client.post(url(world, f"{plan.pk}/avsluta/"), {"outcome": ""})
    plan.refresh_from_db()
    assert plan.closed_on is None
    client.post(url(world, f"{plan.pk}/avsluta/"), {"outcome": "Ikapp med bedömningarna."})
    plan.refresh_from_db()
    assert plan.closed_on is not None
    assert (
        login(world.trainee.user)
        .post(url(world, f"{plan.pk}/avsluta/"), {"outcome": "x"})
        .status_code
        == 403
    )


def test_the_head_of_unit_sees_open_plans_of_their_units(world, elsewhere, plan, login):
    page = login(world.head_of_unit).get("/blekinge/verksamhetschef/").text
    plans = page[page.index('id="plans-heading"') :]
    assert f"/blekinge/st/{world.trainee.pk}/atgardsplan/{plan.pk}/" in plans
    assert "Trainee Traineeblekinge" in plans
    halland = login(elsewhere.head_of_unit).get("/halland/verksamhetschef/").text
    assert "Traineeblekinge" not in halland


def test_every_plan_action_is_closed_to_other_regions_and_to_people_without_a_part(
    world, elsewhere, plan, login
):
    measure = ActionMeasure.unscoped.get(plan=plan)
    actions = [
        (url(world, f"{plan.pk}/bekrafta/"), {"party": "study_director"}),
        (url(world, f"{plan.pk}/atgard/{measure.pk}/klar/"), {}),
        (url(world, f"{plan.pk}/avsluta/"), {"outcome": "Klart."}),
    ]
    for outsider in (elsewhere.study_director, world.no_role):
        client = reauthenticated(login(outsider))
        for path, data in actions:
            assert client.post(path, data).status_code == 404, (outsider, path)
    head = login(world.head_of_unit)  # a participant, but neither owner nor manager
    assert head.post(actions[1][0]).status_code == 403
    assert head.post(*actions[2]).status_code == 403
    measure.refresh_from_db()
    plan.refresh_from_db()
    assert measure.done_on is None
    assert plan.closed_on is None
    assert not signatures_of(plan)


def test_someone_who_is_no_participant_cannot_confirm_and_is_not_asked_to_log_in_again(
    world, plan, login
):
    # The regional administrator sees the plan but takes no part in it.
    stale = login(world.regional_admin)
    assert stale.post(url(world, f"{plan.pk}/bekrafta/"), {"party": "trainee"}).status_code == 403
    fresh = reauthenticated(stale)
    assert fresh.post(url(world, f"{plan.pk}/bekrafta/"), {"party": "trainee"}).status_code == 403
    assert signatures_of(plan) == []
