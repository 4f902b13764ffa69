"""A supervisor of another region sees one trainee's rotation during it (+30 days), nothing else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from regions.tenancy import region_context
from stprogram.models import AccessLog
from trainees import services
from trainees.models import RotationAccessGrant


@pytest.fixture
def rotation(world, elsewhere):
    """Blekinge's trainee rotates to Halland; Halland's supervisor, accepted there."""
    today = timezone.localdate()
    with region_context(world.region):
        rotation = services.rotation_record(
            trainee=world.trainee,
            by=world.trainee.user,
            data={
                "unit_name": "Barnkliniken Halmstad",
                "host_region": elsewhere.region,
                "external": True,
                "start": today - timedelta(days=10),
                "end": today + timedelta(days=20),
                "local_supervisor": elsewhere.supervisor,
            },
        )
        # The receiving unit's study director accepts (tests/security covers the request).
        services.rotation_grant_decide(
            grant=rotation.grant, by=elsewhere.study_director, accept=True
        )
    return rotation


def _url(world, rotation):
    return f"/blekinge/st/{world.trainee.pk}/placeringar/{rotation.pk}/"


def test_grant_is_dated_to_the_rotation_plus_thirty_days(rotation):
    grant = RotationAccessGrant.unscoped.get(rotation=rotation)
    assert grant.valid_from == rotation.start
    assert grant.valid_until == rotation.end + timedelta(days=30)


def test_host_supervisor_sees_the_rotation_during_it_and_it_is_logged(
    world, elsewhere, rotation, login
):
    client = login(elsewhere.supervisor)
    response = client.get(_url(world, rotation))
    assert response.status_code == 200
    assert "Barnkliniken Halmstad" in response.text
    assert world.trainee.user.last_name in response.text
    log = AccessLog.objects.get(kind="cross_region")
    assert log.user == elsewhere.supervisor
    assert log.region_slug == "blekinge"
    listing = client.get("/blekinge/", follow=True)
    assert "Barnkliniken Halmstad" in listing.text


def test_host_supervisor_sees_nothing_else_in_the_region(world, elsewhere, rotation, login):
    client = login(elsewhere.supervisor)
    for path in (
        f"/blekinge/st/{world.trainee.pk}/",
        f"/blekinge/st/{world.other_trainee.pk}/",
        f"/blekinge/st/{world.trainee.pk}/iup/",
        f"/blekinge/st/{world.trainee.pk}/kontrakt/",
        "/blekinge/studierektor/",
        "/blekinge/region/",
        f"/blekinge/enheter/{world.unit.pk}/",
        "/blekinge/min-st/",
        "/blekinge/handledare/",
        "/blekinge/st/ny/",
        f"/blekinge/st/{world.trainee.pk}/placeringar/ny/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert world.other_trainee.user.last_name not in response.text


def test_grant_is_gone_after_the_window(world, elsewhere, rotation, login):
    RotationAccessGrant.unscoped.filter(rotation=rotation).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    client = login(elsewhere.supervisor)
    assert client.get(_url(world, rotation)).status_code == 404
    assert client.get("/blekinge/").status_code == 404


def test_grant_not_yet_started(world, elsewhere, rotation, login):
    RotationAccessGrant.unscoped.filter(rotation=rotation).update(
        valid_from=timezone.localdate() + timedelta(days=1)
    )
    assert login(elsewhere.supervisor).get(_url(world, rotation)).status_code == 404


def test_grant_never_shows_another_trainees_rotation(world, elsewhere, rotation, login):
    with region_context(world.region):
        other = services.rotation_record(
            trainee=world.other_trainee,
            by=world.other_trainee.user,
            data={"unit_name": "Ortopeden", "start": date(2026, 1, 1), "end": date(2026, 2, 1)},
        )
    client = login(elsewhere.supervisor)
    assert (
        client.get(f"/blekinge/st/{world.other_trainee.pk}/placeringar/{other.pk}/").status_code
        == 404
    )
    # The right rotation id under the wrong trainee is refused too.
    assert (
        client.get(f"/blekinge/st/{world.other_trainee.pk}/placeringar/{rotation.pk}/").status_code
        == 404
    )


def test_other_people_of_the_host_region_get_nothing(world, elsewhere, rotation, login):
    for user in (elsewhere.study_director, elsewhere.trainee.user, elsewhere.regional_admin):
        assert login(user).get(_url(world, rotation)).status_code == 404


def test_rotation_in_the_own_region_makes_no_grant(world):
    with region_context(world.region):
        rotation = services.rotation_record(
            trainee=world.trainee,
            by=world.trainee.user,
            data={
                "unit_name": "Medicin",
                "start": date(2026, 1, 1),
                "end": date(2026, 3, 1),
                "local_supervisor": world.supervisor,
            },
        )
    assert not RotationAccessGrant.unscoped.filter(rotation=rotation).exists()


def test_the_region_switcher_offers_the_granted_region(world, elsewhere, rotation, login):
    page = login(elsewhere.supervisor).get("/", follow=True)
    assert 'href="/blekinge/"' in page.text
    assert 'href="/halland/"' in page.text
