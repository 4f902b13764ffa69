"""The factories build what the tests rely on: a trainee is a member of their home unit's region."""

from __future__ import annotations

from regions.models import Membership, Role
from supervision.models import Assignment
from tests.factories import (
    PASSWORD,
    START,
    AssignmentFactory,
    RotationFactory,
    TraineeFactory,
    UnitFactory,
    UserFactory,
)


def test_a_trainee_belongs_to_the_region_of_their_home_unit(db) -> None:
    unit = UnitFactory()
    trainee = TraineeFactory(home_unit=unit, user__email="anna.berg@halland.test")
    assert (trainee.region, trainee.specialty, trainee.start_date) == (
        unit.region,
        unit.specialty,
        START,
    )
    assert Membership.unscoped.filter(
        user=trainee.user, region=unit.region, role=Role.TRAINEE
    ).exists()
    assert (trainee.user.first_name, trainee.user.last_name) == ("Anna Berg", "Annaberghalland")
    assert trainee.user.check_password(PASSWORD)


def test_two_default_trainees_do_not_collide(db) -> None:
    first, second = TraineeFactory(), TraineeFactory()
    assert first.user.email != second.user.email
    assert first.region != second.region


def test_related_rows_take_the_trainees_region(db) -> None:
    trainee = TraineeFactory()
    supervisor = UserFactory()
    assignment = AssignmentFactory(trainee=trainee, user=supervisor)
    rotation = RotationFactory(trainee=trainee)
    assert assignment.region == rotation.region == trainee.region
    assert assignment.role == Assignment.Role.MAIN_SUPERVISOR
    assert rotation.created_by == trainee.user


def test_the_world_has_one_person_in_every_role(world) -> None:
    roles = set(Membership.unscoped.filter(region=world.region).values_list("role", flat=True))
    assert roles >= {
        Role.TRAINEE,
        Role.SUPERVISOR,
        Role.STUDY_DIRECTOR,
        Role.HEAD_OF_UNIT,
        Role.REGIONAL_ADMIN,
        Role.REGIONAL_STUDY_DIRECTOR,
    }
    assert not Membership.unscoped.filter(user=world.no_role).exists()
