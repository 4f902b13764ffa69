"""Issue 17, item 9: a cross-region rotation grant needs the receiving unit's acceptance.

The attack: a trainee alone named a supervisor of another region on a 2020–2099
"rotation", which gave that supervisor sign-off rights until 2100, with no one in
the receiving region asked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from regions.models import Membership, Role
from tests.conftest import reauthenticated
from tests.factories import UserFactory
from trainees.forms import goal_choices
from trainees.models import Rotation, RotationAccessGrant

pytestmark = pytest.mark.usefixtures("catalogue")


def _form(world, elsewhere, start: date, end: date, goals: list[str]) -> dict[str, object]:
    return {
        "unit_name": "Barnkliniken Halmstad",
        "host_region": str(elsewhere.region.pk),
        "external": "on",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "extent_percent": "100",
        "local_supervisor_email": elsewhere.supervisor.email,
        "goal_codes": goals,
    }


def _goals(world) -> list[str]:
    return [code for code, _label in goal_choices(world.trainee)]


def _record(world, elsewhere, login, start: date, end: date, goals: list[str]):
    url = f"/blekinge/st/{world.trainee.pk}/placeringar/ny/"
    return login(world.trainee.user).post(url, _form(world, elsewhere, start, end, goals))


@pytest.fixture
def requested(world, elsewhere, login):
    """The trainee names Halland's supervisor for a current rotation, two goals named."""
    today = timezone.localdate()
    goals = _goals(world)[:2]
    response = _record(
        world, elsewhere, login, today - timedelta(days=10), today + timedelta(days=20), goals
    )
    assert response.status_code == 302
    return Rotation.unscoped.get(trainee=world.trainee)


def _guest_paths(world, rotation) -> list[str]:
    base = f"/blekinge/st/{world.trainee.pk}"
    return [f"{base}/placeringar/{rotation.pk}/", "/blekinge/gast/placeringar/", "/blekinge/"]


def test_the_trainee_alone_creates_no_effective_grant(world, elsewhere, requested, login):
    grant = RotationAccessGrant.unscoped.get(rotation=requested)
    assert grant.status == "pending"
    client = reauthenticated(login(elsewhere.supervisor))
    for path in _guest_paths(world, requested):
        assert client.get(path).status_code == 404, path
    goal = requested.goal_codes[0]
    signoff = f"/blekinge/st/{world.trainee.pk}/delmal/{goal}/intyga/"
    assert client.get(signoff).status_code == 404
    switcher = client.get("/", follow=True)
    assert 'href="/blekinge/"' not in switcher.text
    # The trainee sees that the receiving unit has not answered yet.
    own = login(world.trainee.user).get(_guest_paths(world, requested)[0])
    assert "Väntar på mottagande enhet" in own.text


def test_a_2020_to_2099_rotation_is_refused(world, elsewhere, login):
    response = _record(world, elsewhere, login, date(2020, 1, 1), date(2099, 12, 31), [])
    assert response.status_code == 200
    assert "kan vara högst 24 månader" in response.text
    assert not Rotation.unscoped.exists()
    assert not RotationAccessGrant.unscoped.exists()


def test_a_grant_for_a_finished_rotation_is_refused(world, elsewhere, login):
    today = timezone.localdate()
    response = _record(
        world, elsewhere, login, today - timedelta(days=90), today - timedelta(days=1), []
    )
    assert response.status_code == 200
    assert "Placeringen är redan avslutad" in response.text
    assert not RotationAccessGrant.unscoped.exists()


def test_after_acceptance_the_supervisor_signs_off_only_the_named_goals(
    world, elsewhere, requested, login
):
    director = login(elsewhere.study_director)
    page = director.get("/halland/placeringar/forfragningar/")
    assert page.status_code == 200
    assert world.trainee.user.last_name in page.text
    grant = RotationAccessGrant.unscoped.get(rotation=requested)
    answer = f"/halland/placeringar/forfragningar/{grant.pk}/besvara/"
    assert director.post(answer, {"decision": "accept"}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == "accepted"
    assert grant.decided_by == elsewhere.study_director
    assert grant.valid_until == requested.end + timedelta(days=30)
    assert (
        world.trainee.user.last_name not in director.get("/halland/placeringar/forfragningar/").text
    )

    client = reauthenticated(login(elsewhere.supervisor))
    for path in _guest_paths(world, requested):
        assert client.get(path, follow=True).status_code == 200, path
    named, *_rest = requested.goal_codes
    other = next(code for code in _goals(world) if code not in requested.goal_codes)
    base = f"/blekinge/st/{world.trainee.pk}/delmal"
    assert client.get(f"{base}/{named}/intyga/").status_code == 200
    assert client.get(f"{base}/{other}/intyga/").status_code == 403

    # The grant's dates hold at every check, sign-off included.
    RotationAccessGrant.unscoped.filter(pk=grant.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert client.get(f"{base}/{named}/intyga/").status_code == 404


def test_a_declined_request_gives_nothing(world, elsewhere, requested, login):
    grant = RotationAccessGrant.unscoped.get(rotation=requested)
    answer = f"/halland/placeringar/forfragningar/{grant.pk}/besvara/"
    assert login(elsewhere.head_of_unit).post(answer, {"decision": "decline"}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == "declined"
    client = login(elsewhere.supervisor)
    for path in _guest_paths(world, requested):
        assert client.get(path).status_code == 404, path


def test_others_cannot_see_or_answer_the_request(world, elsewhere, requested, login):
    grant = RotationAccessGrant.unscoped.get(rotation=requested)
    page = "/halland/placeringar/forfragningar/"
    answer = f"/halland/placeringar/forfragningar/{grant.pk}/besvara/"
    # Another region's people: Halland is not theirs.
    for user in (world.study_director, world.head_of_unit, world.trainee.user, world.no_role):
        client = login(user)
        assert client.get(page).status_code == 404
        assert client.post(answer, {"decision": "accept"}).status_code == 404
    # Halland's people without the role.
    for user in (elsewhere.supervisor, elsewhere.trainee.user, elsewhere.regional_admin):
        client = login(user)
        assert client.get(page).status_code == 403
        assert client.post(answer, {"decision": "accept"}).status_code == 403
    # A head of another Halland unit has the role but not this unit.
    other_head = UserFactory(email="other.head@halland.test")
    Membership.unscoped.create(
        user=other_head, region=elsewhere.region, role=Role.HEAD_OF_UNIT, unit=elsewhere.other_unit
    )
    client = login(other_head)
    listing = client.get(page)
    assert listing.status_code == 200
    assert world.trainee.user.last_name not in listing.text
    response = client.post(answer, {"decision": "accept"})
    assert response.status_code == 404
    assert world.trainee.user.last_name not in response.text
    grant.refresh_from_db()
    assert grant.status == "pending"
