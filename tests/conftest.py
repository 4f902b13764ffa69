"""Personas shared by every test: people in two regions with each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.test import Client

from assessments.models import Regulation, Specialty
from regions.models import Membership, Region, Role, Unit
from stprogram import tenancy
from stprogram.models import User
from supervision.models import Assignment
from tests.clock import clock_freeze
from trainees.models import Trainee

# Test code builds and inspects every region's rows, like a management command;
# requests, tasks and `region_context` blocks narrow the PostgreSQL scope as in
# production (tests/stprogram/test_row_level_security.py checks the wall itself).
tenancy.set_default_scope(tenancy.ALL_REGIONS)


@dataclass
class World:
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


def make_user(email: str) -> User:
    """A user whose names are unique words, so a page that leaks them is caught."""
    local, _, domain = email.partition("@")
    first = local.replace(".", " ").title()
    last = (local.replace(".", "") + domain.split(".")[0]).title()
    return User.objects.create_user(
        email=email, password="pw-test-123", first_name=first, last_name=last
    )


def make_trainee(region: Region, unit: Unit, email: str, **extra: object) -> Trainee:
    user = make_user(email)
    Membership.unscoped.create(user=user, region=region, role=Role.TRAINEE)
    fields = {"regulation": Regulation.HSLF_FS_2021_8, "start_date": date(2025, 1, 13)}
    fields.update(extra)
    return Trainee.unscoped.create(
        region=region, user=user, home_unit=unit, specialty=unit.specialty, **fields
    )


def assign(trainee: Trainee, user: User, role: str, start: date = date(2025, 1, 13)) -> Assignment:
    return Assignment.unscoped.create(
        region=trainee.region, trainee=trainee, user=user, role=role, start_date=start
    )


def build_world(slug: str, name: str) -> World:
    specialty, _ = Specialty.objects.get_or_create(slug="allmanmedicin", name="Allmänmedicin")
    region = Region.objects.create(slug=slug, name=name)
    unit = Unit.unscoped.create(
        region=region, name=f"VC Norr {slug}", kind="health_centre", specialty=specialty
    )
    other_unit = Unit.unscoped.create(
        region=region, name=f"VC Syd {slug}", kind="health_centre", specialty=specialty
    )
    people = {
        key: make_user(f"{key}@{slug}.test")
        for key in ("supervisor", "study_director", "head_of_unit", "admin", "rsr", "nobody")
    }
    member = Membership.unscoped.create
    member(user=people["supervisor"], region=region, role=Role.SUPERVISOR, unit=unit)
    member(user=people["study_director"], region=region, role=Role.STUDY_DIRECTOR, unit=unit)
    member(user=people["head_of_unit"], region=region, role=Role.HEAD_OF_UNIT, unit=unit)
    member(user=people["admin"], region=region, role=Role.REGIONAL_ADMIN)
    member(user=people["rsr"], region=region, role=Role.REGIONAL_STUDY_DIRECTOR)
    trainee = make_trainee(region, unit, f"trainee@{slug}.test", bt_end=date(2025, 12, 31))
    other = make_trainee(
        region,
        other_unit,
        f"other.trainee@{slug}.test",
        regulation=Regulation.SOSFS_2015_8,
        start_date=date(2020, 9, 1),
    )
    assign(trainee, people["supervisor"], Assignment.Role.MAIN_SUPERVISOR)
    assign(trainee, people["study_director"], Assignment.Role.STUDY_DIRECTOR)
    return World(
        region=region,
        unit=unit,
        other_unit=other_unit,
        trainee=trainee,
        other_trainee=other,
        supervisor=people["supervisor"],
        study_director=people["study_director"],
        head_of_unit=people["head_of_unit"],
        regional_admin=people["admin"],
        regional_study_director=people["rsr"],
        no_role=people["nobody"],
    )


@pytest.fixture(autouse=True)
def _swedish():
    """Each test starts in Swedish; a request may leave another language active."""
    from django.utils import translation

    with translation.override("sv"):
        yield


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The product's clock stopped at tests.clock.FROZEN_NOW (today: FROZEN_TODAY)."""
    return clock_freeze(monkeypatch)


@pytest.fixture
def world(db: None) -> World:
    """Blekinge, with one person in every role."""
    return build_world("blekinge", "Region Blekinge")


@pytest.fixture
def elsewhere(db: None) -> World:
    """Halland: the other region, whose people must never see Blekinge's data."""
    return build_world("halland", "Region Halland")


@pytest.fixture
def login(client: Client):
    """Log a user in on the test client and return the client."""

    def _login(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def reauthenticated(client: Client) -> Client:
    """Mark the session as freshly re-authenticated, as allauth's reauthenticate page does."""
    import time

    from allauth.account.internal.flows import login as allauth_login

    session = client.session
    session[allauth_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = session["_auth_user_id"]
    session[allauth_login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()
    return client


@pytest.fixture
def catalogue(db: None) -> None:
    """The shipped curriculum catalogue (goals for the test specialty)."""
    from assessments.services import catalogue_load_shipped

    catalogue_load_shipped()
