"""The cross-region grant is a django-guardian object permission, and its dates still rule.

Accepting gives the supervisor `trainees.supervise_rotation` on the grant;
removing the rotation takes it at once; the daily task takes it off ended
grants. Without the permission nothing opens, and with it nothing opens
outside the grant's dates either.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.models import UserObjectPermission
from guardian.shortcuts import remove_perm

from regions.tenancy import region_context
from stprogram.models import User
from trainees import services
from trainees.grants import SUPERVISE_ROTATION, rotation_grants_end
from trainees.models import RotationAccessGrant
from trainees.tasks import end_rotation_grants


def _rotate(world, elsewhere, unit_name="Barnkliniken Halmstad", *, accept=True):
    today = timezone.localdate()
    with region_context(world.region):
        rotation = services.rotation_record(
            trainee=world.trainee,
            by=world.trainee.user,
            data={
                "unit_name": unit_name,
                "host_region": elsewhere.region,
                "external": True,
                "start": today - timedelta(days=10),
                "end": today + timedelta(days=20),
                "local_supervisor": elsewhere.supervisor,
            },
        )
        if accept:
            services.rotation_grant_decide(
                grant=rotation.grant, by=elsewhere.study_director, accept=True
            )
    return rotation


def _url(world, rotation):
    return f"/blekinge/st/{world.trainee.pk}/placeringar/{rotation.pk}/"


def _holds(user, rotation) -> bool:
    # A fresh user: Django caches permissions on the instance.
    grant = RotationAccessGrant.unscoped.get(rotation=rotation)
    return User.objects.get(pk=user.pk).has_perm(SUPERVISE_ROTATION, grant)


def test_acceptance_gives_the_object_permission_and_only_to_the_supervisor(world, elsewhere):
    rotation = _rotate(world, elsewhere, accept=False)
    assert not _holds(elsewhere.supervisor, rotation)
    with region_context(world.region):
        services.rotation_grant_decide(
            grant=rotation.grant, by=elsewhere.study_director, accept=True
        )
    assert _holds(elsewhere.supervisor, rotation)
    assert not _holds(elsewhere.study_director, rotation)


def test_without_the_permission_an_accepted_grant_in_its_dates_opens_nothing(
    world, elsewhere, login
):
    rotation = _rotate(world, elsewhere)
    client = login(elsewhere.supervisor)
    assert client.get(_url(world, rotation)).status_code == 200
    remove_perm(SUPERVISE_ROTATION, elsewhere.supervisor, rotation.grant)
    assert client.get(_url(world, rotation)).status_code == 404
    assert client.get("/blekinge/").status_code == 404


def test_the_dates_are_checked_even_while_the_permission_is_held(world, elsewhere, login):
    rotation = _rotate(world, elsewhere)
    RotationAccessGrant.unscoped.filter(rotation=rotation).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert _holds(elsewhere.supervisor, rotation)  # the daily task has not run yet
    assert login(elsewhere.supervisor).get(_url(world, rotation)).status_code == 404


def test_the_daily_task_takes_the_permission_off_ended_grants_only(world, elsewhere):
    ended = _rotate(world, elsewhere)
    running = _rotate(world, elsewhere, unit_name="Ortopeden Varberg")
    RotationAccessGrant.unscoped.filter(rotation=ended).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert end_rotation_grants.apply().get() == 1
    assert not _holds(elsewhere.supervisor, ended)
    assert _holds(elsewhere.supervisor, running)
    assert rotation_grants_end(timezone.localdate()) == 0


def test_removing_the_rotation_takes_the_permission_at_once(world, elsewhere, login):
    rotation = _rotate(world, elsewhere)
    grant_pk = rotation.grant.pk
    with region_context(world.region):
        services.record_delete(record=rotation, by=world.trainee.user)
    assert not UserObjectPermission.objects.filter(object_pk=str(grant_pk)).exists()


def test_the_daily_task_is_in_the_beat_schedule():
    tasks = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    entry = tasks["trainees.tasks.end_rotation_grants"]
    assert entry["schedule"] == timedelta(days=1)
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()


def test_no_guardian_anonymous_account_exists(db):
    """Guardian's anonymous user is off: with the e-mail login it would be a fake account."""
    assert settings.ANONYMOUS_USER_NAME is None
    assert not User.objects.filter(email__iexact="AnonymousUser").exists()


def test_the_guest_list_asks_the_permission_once_not_per_rotation(
    world, elsewhere, login, django_assert_max_num_queries
):
    _rotate(world, elsewhere)
    client = login(elsewhere.supervisor)
    client.get("/blekinge/gast/placeringar/")
    with CaptureQueriesContext(connection) as one:
        client.get("/blekinge/gast/placeringar/")
    for name in ("Ortopeden Varberg", "Medicin Halmstad", "Kirurgen Kungsbacka"):
        _rotate(world, elsewhere, unit_name=name)
    with django_assert_max_num_queries(len(one)):
        page = client.get("/blekinge/gast/placeringar/")
    assert "Kirurgen Kungsbacka" in page.text


def test_grants_accepted_before_the_permission_existed_are_given_it_by_the_migration(
    world, elsewhere
):
    running = _rotate(world, elsewhere)
    ended = _rotate(world, elsewhere, unit_name="Ortopeden Varberg")
    pending = _rotate(world, elsewhere, unit_name="Medicin Halmstad", accept=False)
    RotationAccessGrant.unscoped.filter(rotation=ended).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    UserObjectPermission.objects.all().delete()  # as before this change
    migration = import_module("trainees.migrations.0007_rotation_grant_supervise_permission")
    with region_context(world.region):  # the live model's manager is the region's
        migration.give_to_accepted(apps, None)
    assert _holds(elsewhere.supervisor, running)
    assert not _holds(elsewhere.supervisor, ended)
    assert not _holds(elsewhere.supervisor, pending)
