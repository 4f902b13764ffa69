"""A deputy study director for a period: named on a page, a django-guardian permission, dated.

The study director names a deputy for their own units; during the period the
deputy sees what the study director sees for those units, and nothing before,
after, or once the delegation is ended. Other regions and other roles reach
neither the page nor its action.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from obligations import snapshot
from regions.delegations import ACT_AS_DEPUTY, delegation_create, delegations_end
from regions.models import Delegation, Membership, Role
from regions.tasks import end_delegations
from regions.tenancy import region_context
from stprogram.models import AuditEvent, User
from tests.factories import TraineeFactory, UserFactory
from trainees.models import Trainee

PAGE = "/blekinge/studierektor/ersattare/"
DASHBOARD = "/blekinge/studierektor/"


@pytest.fixture
def deputy(world):
    """A supervisor of the other unit, who will stand in for the study director."""
    user = UserFactory(email="deputy@blekinge.test")
    Membership.unscoped.create(
        user=user, region=world.region, role=Role.SUPERVISOR, unit=world.other_unit
    )
    for pk in Trainee.unscoped.values_list("pk", flat=True):
        snapshot.refresh_trainee(pk)
    return user


def _delegate(world, deputy, start=None, end=None) -> Delegation:
    today = timezone.localdate()
    with region_context(world.region):
        return delegation_create(
            region=world.region,
            by=world.study_director,
            deputy=deputy,
            units=[world.unit],
            start=start or today,
            end=end or today + timedelta(days=14),
            reason="Semester",
        )


def _form(world, deputy, **extra) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "deputy": str(deputy.pk),
        "units": [str(world.unit.pk)],
        "start": today.isoformat(),
        "end": (today + timedelta(days=14)).isoformat(),
        "reason": "Semester vecka 30–31",
    }
    data.update(extra)
    return data


def _holds(user, delegation) -> bool:
    return User.objects.get(pk=user.pk).has_perm(ACT_AS_DEPUTY, delegation)


def test_the_study_director_names_a_deputy_who_then_sees_their_unit(world, deputy, login):
    director = login(world.study_director)
    assert "Ersättare för studierektor" in director.get(DASHBOARD).text
    response = director.post(PAGE, _form(world, deputy))
    assert response.status_code == 302
    delegation = Delegation.unscoped.get()
    assert _holds(deputy, delegation)
    event = AuditEvent.objects.get(action="delegation_created")
    assert event.actor == world.study_director
    assert event.region_slug == "blekinge"
    page = login(deputy).get(DASHBOARD)
    assert page.status_code == 200
    assert world.trainee.user.last_name in page.text  # the delegated unit's trainee
    assert world.other_trainee.user.last_name not in page.text  # not a delegated unit
    assert login(deputy).get(f"/blekinge/st/{world.trainee.pk}/").status_code == 200


def test_before_the_period_the_deputy_sees_nothing_of_it(world, deputy, login):
    later = timezone.localdate() + timedelta(days=7)
    delegation = _delegate(world, deputy, start=later, end=later + timedelta(days=7))
    assert _holds(deputy, delegation)  # given at once, but the dates are checked on use
    client = login(deputy)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"/blekinge/st/{world.trainee.pk}/").status_code == 404


def test_after_the_last_day_nothing_opens_and_the_daily_task_takes_the_permission(
    world, deputy, login
):
    delegation = _delegate(world, deputy)
    Delegation.unscoped.filter(pk=delegation.pk).update(
        start=timezone.localdate() - timedelta(days=10),
        end=timezone.localdate() - timedelta(days=1),
    )
    assert _holds(deputy, delegation)
    assert login(deputy).get(DASHBOARD).status_code == 403
    assert end_delegations.apply().get() == 1
    assert not _holds(deputy, delegation)
    assert delegations_end(timezone.localdate()) == 0


def test_without_the_permission_a_delegation_in_its_dates_opens_nothing(world, deputy, login):
    from guardian.shortcuts import remove_perm

    delegation = _delegate(world, deputy)
    client = login(deputy)
    assert client.get(DASHBOARD).status_code == 200
    remove_perm(ACT_AS_DEPUTY, deputy, delegation)
    assert client.get(DASHBOARD).status_code == 403


def test_ending_it_takes_the_role_away_at_once_and_is_audited(world, deputy, login):
    delegation = _delegate(world, deputy)
    director = login(world.study_director)
    assert "Avsluta nu" in director.get(PAGE).text
    response = director.post(f"{PAGE}{delegation.pk}/avsluta/")
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.ended_by == world.study_director
    assert not _holds(deputy, delegation)
    assert AuditEvent.objects.filter(action="delegation_ended").exists()
    assert login(deputy).get(DASHBOARD).status_code == 403
    again = login(world.study_director).post(f"{PAGE}{delegation.pk}/avsluta/", follow=True)
    assert "Delegeringen är redan avslutad." in again.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "2020-01-01"}, "Slutdatum kan inte vara före startdatum."),
        ({"reason": ""}, "Detta fält måste fyllas i."),
        ({"end": "inte ett datum"}, "Fyll i ett giltigt datum."),
    ],
)
def test_bad_input_gets_a_swedish_message_and_nothing_is_saved(
    world, deputy, login, change, message
):
    page = login(world.study_director).post(PAGE, _form(world, deputy, **change))
    assert page.status_code == 200
    assert message in page.text
    assert not Delegation.unscoped.exists()


def test_a_unit_that_is_not_the_directors_own_cannot_be_delegated(world, deputy, login):
    data = _form(world, deputy, units=[str(world.other_unit.pk)])
    page = login(world.study_director).post(PAGE, data)
    assert "Välj ett giltigt alternativ" in page.text
    assert not Delegation.unscoped.exists()


def test_a_deputy_does_not_pass_the_role_on(world, deputy, login):
    _delegate(world, deputy)
    client = login(deputy)
    assert "Ersättare för studierektor" not in client.get(DASHBOARD).text
    assert client.get(PAGE).status_code == 403


def test_other_roles_regions_and_people_reach_neither_page_nor_action(
    world, elsewhere, deputy, login
):
    delegation = _delegate(world, deputy)
    end = f"{PAGE}{delegation.pk}/avsluta/"
    for user in (world.supervisor, world.head_of_unit, world.regional_study_director):
        client = login(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(end).status_code == 403
    for user in (elsewhere.study_director, world.no_role):
        client = login(user)
        assert client.get(PAGE).status_code == 404
        assert client.post(end).status_code == 404
        assert "Semester" not in client.get(PAGE).text
    # Halland's study director on their own region's page: Blekinge's delegation is not theirs.
    halland = login(elsewhere.study_director)
    assert (
        halland.post(f"/halland/studierektor/ersattare/{delegation.pk}/avsluta/").status_code == 404
    )
    delegation.refresh_from_db()
    assert delegation.ended_at is None


def test_the_deputys_dashboard_costs_no_query_per_trainee(world, deputy, login):
    _delegate(world, deputy)
    client = login(deputy)
    client.get(DASHBOARD)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    small = count()
    for index in range(20):
        TraineeFactory(
            region=world.region, home_unit=world.unit, user__email=f"many{index}@blekinge.test"
        )
    for pk in Trainee.unscoped.values_list("pk", flat=True):
        snapshot.refresh_trainee(pk)
    # The counts at the top are cached per snapshot version: warm them again first.
    client.get(DASHBOARD)
    assert count() == small


def test_the_delegation_list_costs_the_same_queries_for_many(
    world, deputy, login, django_assert_max_num_queries
):
    _delegate(world, deputy)
    client = login(world.study_director)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    for _ in range(5):
        _delegate(world, deputy)
    with django_assert_max_num_queries(len(one)):
        page = client.get(PAGE)
    assert page.text.count("Avsluta nu") == 6


def test_the_daily_task_is_in_the_beat_schedule():
    tasks = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    entry = tasks["regions.tasks.end_delegations"]
    assert entry["schedule"] == timedelta(days=1)
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()


def test_a_delegation_cannot_outlast_a_year_or_name_oneself(world, deputy):
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    with pytest.raises(ValidationError):
        _delegate(world, deputy, end=today + timedelta(days=400))
    with pytest.raises(ValidationError):
        _delegate(world, world.study_director)
    assert not Delegation.unscoped.exists()
