"""Supervision meetings in under a minute, and the supervisor's queue that updates in place."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from regions.models import Membership, Role
from regions.tenancy import region_context
from supervision import services
from supervision.models import SupervisionMeeting
from tests.factories import AssignmentFactory, UserFactory
from trainees.portfolio import portfolio_for


def _meeting_url(world):
    return f"/blekinge/st/{world.trainee.pk}/handledning/ny/"


def test_trainee_logs_a_meeting_and_it_counts_for_the_engine(world, login, catalogue):
    client = login(world.trainee.user)
    response = client.post(
        _meeting_url(world),
        {
            "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "minutes": "45",
            "goal_codes": ["STa3"],
            "topics": "Journalföring",
            "agreed_actions": "Läsa PM",
        },
    )
    assert response.status_code == 302
    meeting = SupervisionMeeting.unscoped.get()
    assert meeting.supervisor == world.supervisor
    events = [e for e in portfolio_for(world.trainee).events if e.type == "supervision"]
    assert [(e.date, e.minutes) for e in events] == [(meeting.date, 45)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "0", "större än eller lika med 5"),
        ("minutes", "10000", "mindre än eller lika med 480"),
        ("date", "2999-01-01", "i förväg"),
        ("date", "igår", "giltigt datum"),
    ],
)
def test_bad_meeting_input_gets_a_message_and_saves_nothing(world, login, field, value, message):
    data = {"date": "2026-01-10", "minutes": "60", field: value}
    response = login(world.trainee.user).post(_meeting_url(world), data)
    assert response.status_code == 200
    assert message in response.text
    assert not SupervisionMeeting.unscoped.exists()


def _log(world, n=1):
    with region_context(world.region):
        for i in range(n):
            services.meeting_log(
                trainee=world.trainee,
                by=world.trainee.user,
                date=date(2026, 1, 1) + timedelta(days=i),
                minutes=60,
                goal_codes=[],
            )


def test_supervisor_confirms_in_place_with_htmx(world, login):
    _log(world, 2)
    client = login(world.supervisor)
    page = client.get("/blekinge/handledare/")
    assert "Väntar på mig (2)" in page.text
    meeting = SupervisionMeeting.unscoped.first()
    url = f"/blekinge/handledare/samtal/{meeting.pk}/bekrafta/"
    fragment = client.post(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="queue"')
    assert "<html" not in fragment.text
    assert "Väntar på mig (1)" in fragment.text
    meeting.refresh_from_db()
    assert meeting.confirmed_at is not None
    full = client.get("/blekinge/handledare/", headers={"HX-Request": "true"})
    assert "HX-Request" in full["Vary"]


def test_others_cannot_confirm_a_meeting(world, elsewhere, login):
    _log(world)
    meeting = SupervisionMeeting.unscoped.get()
    url = f"/blekinge/handledare/samtal/{meeting.pk}/bekrafta/"
    other_sup = UserFactory(email="other.sup@blekinge.test")
    Membership.unscoped.create(
        user=other_sup, region=world.region, role=Role.SUPERVISOR, unit=world.unit
    )
    AssignmentFactory(trainee=world.other_trainee, user=other_sup, role="main_supervisor")
    assert login(other_sup).post(url).status_code == 404
    assert login(world.trainee.user).post(url).status_code == 403
    assert login(world.study_director).post(url).status_code == 403
    assert login(elsewhere.supervisor).post(url).status_code == 404
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_queue_query_count_is_constant(
    world, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(world.supervisor)
    _log(world, 5)
    with django_assert_max_num_queries(100) as five:
        client.get("/blekinge/handledare/")
    _log(world, 45)
    with django_assert_num_queries(len(five.captured_queries)):
        page = client.get("/blekinge/handledare/")
    assert "Väntar på mig (50)" in page.text


def test_meeting_pages_for_outsiders(world, elsewhere, login):
    urls = [f"/blekinge/st/{world.trainee.pk}/handledning/", _meeting_url(world)]
    for user in (
        world.other_trainee.user,
        elsewhere.supervisor,
        elsewhere.study_director,
        world.no_role,
    ):
        for url in urls:
            assert login(user).get(url).status_code == 404, (user, url)
    assert login(world.head_of_unit).get(_meeting_url(world)).status_code == 403
    for user in (world.trainee.user, world.supervisor, world.study_director):
        assert login(user).get(urls[0]).status_code == 200
