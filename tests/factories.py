"""Typed factories for the objects the tests build: regions, units, people with roles, trainees.

Every test builds through these (or the `world`/`elsewhere` fixtures made of
them) instead of writing model rows by hand, so a new required field is added
in one place. Region-owned rows are written through `unscoped`, as a
management command would; requests still narrow the scope as in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from assessments.models import Regulation, Specialty
from regions import tenancy
from regions.models import Membership, Region, Role, Unit
from stprogram.models import User
from supervision.models import Assignment, SupervisionMeeting
from trainees.models import HistoricalEvent, Rotation, Trainee

# Every test user's password (the login tests type it).
PASSWORD = "pw-test-123"
# The default start of a trainee and of their supervisors' assignments.
START = date(2025, 1, 13)


class _Factory(DjangoModelFactory):
    """Writes region-owned rows through `unscoped` (the default manager sees one region)."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class: type) -> Any:
        return getattr(model_class, "unscoped", None) or super()._get_manager(model_class)


def _names(email: str) -> tuple[str, str]:
    """First and last name made of the address: "anna.berg@x.test" is Anna Berg, Annabergx."""
    local, _, domain = email.partition("@")
    return local.replace(".", " ").title(), (local.replace(".", "") + domain.split(".")[0]).title()


class SpecialtyFactory(_Factory):
    class Meta:
        model = Specialty
        django_get_or_create = ("slug",)

    slug = "allmanmedicin"
    name = "Allmänmedicin"


class RegionFactory(_Factory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"region{n}")
    name = factory.LazyAttribute(lambda region: f"Region {region.slug.title()}")


class UnitFactory(_Factory):
    class Meta:
        model = Unit

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"VC {n}")
    kind = "health_centre"
    specialty = factory.SubFactory(SpecialtyFactory)


class UserFactory(_Factory):
    """A user whose names are unique words from the address, so a page that leaks them is caught."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.LazyAttribute(lambda u: _names(u.email)[0])
    last_name = factory.LazyAttribute(lambda u: _names(u.email)[1])

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # create_user hashes the password and normalises the address, as sign-up does.
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


class MembershipFactory(_Factory):
    """A role in a region (at a unit for the unit-bound roles)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    role = Role.SUPERVISOR
    unit = None


class TraineeFactory(_Factory):
    """A trainee under HSLF-FS 2021:8 from START at `home_unit`, with their trainee membership."""

    class Meta:
        model = Trainee
        # The hook adds a membership, not a field of the trainee: no second save.
        skip_postgeneration_save = True

    home_unit = factory.SubFactory(UnitFactory)
    region = factory.SelfAttribute("home_unit.region")
    specialty = factory.SelfAttribute("home_unit.specialty")
    user = factory.SubFactory(UserFactory)
    regulation = Regulation.HSLF_FS_2021_8
    start_date = START

    @factory.post_generation
    def membership(self: Trainee, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The trainee's own role in the region, as enrolment gives it."""
        if create:
            MembershipFactory(user=self.user, region=self.region, role=Role.TRAINEE)


class AssignmentFactory(_Factory):
    """A person's dated role for one trainee (main supervisor by default) from START."""

    class Meta:
        model = Assignment

    trainee = factory.SubFactory(TraineeFactory)
    region = factory.SelfAttribute("trainee.region")
    user = factory.SubFactory(UserFactory)
    role = Assignment.Role.MAIN_SUPERVISOR
    start_date = START


class RotationFactory(_Factory):
    """A rotation of the trainee's, recorded by the trainee (in the home region unless external)."""

    class Meta:
        model = Rotation

    trainee = factory.SubFactory(TraineeFactory)
    region = factory.SelfAttribute("trainee.region")
    created_by = factory.SelfAttribute("trainee.user")
    unit_name = "Barnkliniken"
    start = date(2026, 3, 1)
    end = date(2026, 5, 31)


class HistoricalEventFactory(_Factory):
    """A fact about the trainee as the engine reads it (`type`, `date`, `data`)."""

    class Meta:
        model = HistoricalEvent

    trainee = factory.SubFactory(TraineeFactory)
    region = factory.SelfAttribute("trainee.region")
    type = "contract_signed"
    date = START


class SupervisionMeetingFactory(_Factory):
    """A 45-minute supervision meeting held and recorded by `supervisor`."""

    class Meta:
        model = SupervisionMeeting

    trainee = factory.SubFactory(TraineeFactory)
    region = factory.SelfAttribute("trainee.region")
    supervisor = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("supervisor")
    date = START
    minutes = 45


def staff_create(*, region: Region, role: str, email: str, unit: Unit | None = None) -> User:
    """A person with one role in the region (at `unit` for the unit-bound roles)."""
    user = UserFactory(email=email)
    MembershipFactory(user=user, region=region, role=role, unit=unit)
    return user


@dataclass
class World:
    """One region with two units, two trainees and one person in every role."""

    region: Region
    unit: Unit
    other_unit: Unit
    trainee: Trainee
    other_trainee: Trainee
    supervisor: User
    study_director: User
    head_of_unit: User
    regional_admin: User
    regional_study_director: User
    no_role: User


def world_build(*, slug: str, name: str) -> World:
    """Region `slug` and its people; the trainee in BT until 2025-12-31, the other under 2015:8.

    Built in the all-regions scope, so a fixture can build another region's world
    while a test already stands inside one region (the PostgreSQL wall would refuse it).
    """
    with tenancy.all_regions():
        return _world(slug, name)


def _world(slug: str, name: str) -> World:
    region = RegionFactory(slug=slug, name=name)
    unit = UnitFactory(region=region, name=f"VC Norr {slug}")
    other_unit = UnitFactory(region=region, name=f"VC Syd {slug}")
    supervisor = UserFactory(email=f"supervisor@{slug}.test")
    study_director = UserFactory(email=f"study_director@{slug}.test")
    head_of_unit = UserFactory(email=f"head_of_unit@{slug}.test")
    admin, rsr = UserFactory(email=f"admin@{slug}.test"), UserFactory(email=f"rsr@{slug}.test")
    nobody = UserFactory(email=f"nobody@{slug}.test")
    for user, role, at in (
        (supervisor, Role.SUPERVISOR, unit),
        (study_director, Role.STUDY_DIRECTOR, unit),
        (head_of_unit, Role.HEAD_OF_UNIT, unit),
        (admin, Role.REGIONAL_ADMIN, None),
        (rsr, Role.REGIONAL_STUDY_DIRECTOR, None),
    ):
        MembershipFactory(user=user, region=region, role=role, unit=at)
    trainee = TraineeFactory(
        home_unit=unit, user__email=f"trainee@{slug}.test", bt_end=date(2025, 12, 31)
    )
    other = TraineeFactory(
        home_unit=other_unit,
        user__email=f"other.trainee@{slug}.test",
        regulation=Regulation.SOSFS_2015_8,
        start_date=date(2020, 9, 1),
    )
    AssignmentFactory(trainee=trainee, user=supervisor)
    AssignmentFactory(trainee=trainee, user=study_director, role=Assignment.Role.STUDY_DIRECTOR)
    return World(
        region,
        unit,
        other_unit,
        trainee,
        other,
        supervisor,
        study_director,
        head_of_unit,
        admin,
        rsr,
        nobody,
    )
