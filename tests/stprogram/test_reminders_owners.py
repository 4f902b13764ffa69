"""Each duty reaches its owner: the head of unit's development talk, an action plan's follow-up.

Blekinge's trainee starts 2025-01-13 (tests.conftest): training year 1 ends
2026-01-12, so the yearly development talk (§3.4, the head of unit's duty) and
the main supervisor's follow-up talk (§3.3) are due that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from obligations import snapshot
from regions.models import Membership, Role
from stprogram.reminders.collect import collect
from supervision.models import ActionPlan
from tests.factories import TraineeFactory, UserFactory, world_build
from tests.stprogram.test_reminders import mails_to, scan

YEAR_1_DUE = date(2026, 1, 12)


def _subjects(user) -> list[str]:
    return [m.subject for m in mails_to(user)]


def test_the_head_of_unit_hears_of_the_development_talk_and_not_of_the_others(world):
    scan(YEAR_1_DUE - timedelta(days=30))
    head = _subjects(world.head_of_unit)
    assert any("Utvecklingssamtal med verksamhetschef" in s for s in head)
    assert not any("Uppföljningssamtal med huvudhandledare" in s for s in head)
    assert not any("Handledarsamtal" in s or "ST-kontrakt" in s for s in head)
    # The trainee and the main supervisor still hear of it too.
    for person in (world.trainee.user, world.supervisor):
        assert any("Utvecklingssamtal" in s for s in _subjects(person))
    assert any("Uppföljningssamtal med huvudhandledare" in s for s in _subjects(world.supervisor))


def test_a_head_of_another_unit_is_not_told(world):
    other_head = UserFactory(email="other.head@blekinge.test")
    Membership.unscoped.create(
        user=other_head, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    due = [
        item
        for item in collect(world.region, YEAR_1_DUE - timedelta(days=30))
        if item.code == "development_talk"
        and item.key.startswith(f"blekinge:trainee:{world.trainee.pk}:")
    ]
    assert due
    assert all(world.head_of_unit.pk in item.recipients for item in due)
    assert all(other_head.pk not in item.recipients for item in due)


def test_halland_has_no_head_of_unit_development_talk(db):
    halland = world_build(slug="halland", name="Region Halland")
    items = list(collect(halland.region, YEAR_1_DUE - timedelta(days=30)))
    assert all(
        halland.head_of_unit.pk not in item.recipients
        for item in items
        if item.subject == "trainee"
    )


def test_the_head_of_units_page_lists_their_trainees_duties(
    world, elsewhere, login, django_assert_max_num_queries
):
    snapshot.refresh_trainee(world.trainee.pk)
    snapshot.refresh_trainee(world.other_trainee.pk)
    client = login(world.head_of_unit)
    with django_assert_max_num_queries(40):
        page = client.get("/blekinge/verksamhetschef/")
    assert page.status_code == 200
    section = page.text.split('id="head-duties"')[1].split("</table>")[0]
    name = world.trainee.user.get_full_name() or world.trainee.user.email
    assert name in section
    assert "Utvecklingssamtal med verksamhetschef" in section
    assert "Uppföljningssamtal" not in section
    # The other unit's trainee has its own head of unit.
    other = world.other_trainee.user.get_full_name() or world.other_trainee.user.email
    assert other not in section
    assert f"/blekinge/st/{world.trainee.pk}/handledning/" in section
    assert login(world.trainee.user).get("/blekinge/verksamhetschef/").status_code == 403
    assert login(elsewhere.head_of_unit).get("/blekinge/verksamhetschef/").status_code == 404


def test_the_head_of_units_page_costs_the_same_for_more_trainees(world, login):
    client = login(world.head_of_unit)

    def queries_with(extra: range) -> int:
        for n in extra:
            trainee = TraineeFactory(
                region=world.region, home_unit=world.unit, user__email=f"t{n}@blekinge.test"
            )
            snapshot.refresh_trainee(trainee.pk)
        client.get("/blekinge/verksamhetschef/")  # the counts at the top are cached per version
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/blekinge/verksamhetschef/")
        assert page.text.count("Utvecklingssamtal med verksamhetschef") >= len(extra)
        return len(captured)

    few = queries_with(range(1))
    assert queries_with(range(1, 6)) == few <= 45


def test_an_action_plans_follow_up_date_is_reminded_to_supervisor_and_study_director(world):
    follow_up = date(2025, 6, 2)
    ActionPlan.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        problem_areas="Kommunikation",
        follow_up_on=follow_up,
        created_by=world.supervisor,
    )
    scan(follow_up - timedelta(days=7))
    for person in (world.supervisor, world.study_director):
        assert any("Uppföljning av åtgärdsplan" in s for s in _subjects(person))
    assert not any("Uppföljning av åtgärdsplan" in s for s in _subjects(world.trainee.user))


def test_a_closed_plan_is_not_reminded(world):
    follow_up = date(2025, 6, 2)
    ActionPlan.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        problem_areas="Kommunikation",
        follow_up_on=follow_up,
        created_by=world.supervisor,
        outcome="Löst",
        closed_on=date(2025, 5, 1),
    )
    scan(follow_up - timedelta(days=7))
    assert not any("åtgärdsplan" in m.subject for m in mail.outbox)


def test_the_calendar_feed_of_a_head_of_unit_has_the_development_talk(world):
    from stprogram.reminders.feed import open_obligations

    items = open_obligations(world.head_of_unit, timezone.localdate())
    assert any(item.code == "development_talk" for item in items)
