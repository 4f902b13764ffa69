"""Fixtures shared by every test: two regions with a person in each role, a frozen clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client

from regions import tenancy
from regions.models import Region, Unit
from stprogram.models import User
from supervision.models import Assignment
from tests.clock import clock_freeze
from tests.factories import (
    START,
    AssignmentFactory,
    TraineeFactory,
    UserFactory,
    World,
    world_build,
)
from trainees.models import Trainee

# Test code builds and inspects every region's rows, like a management command;
# requests, tasks and `region_context` blocks narrow the PostgreSQL scope as in
# production (tests/stprogram/test_row_level_security.py checks the wall itself).
tenancy.set_default_scope(tenancy.ALL_REGIONS)


# The helpers below wrap tests.factories for tests written before it (branches
# in flight); new tests use the factories directly.


def make_user(email: str) -> User:
    """A user with names made of the address (tests.factories.UserFactory)."""
    return UserFactory(email=email)


def make_trainee(region: Region, unit: Unit, email: str, **extra: object) -> Trainee:
    """A trainee of `region` at `unit` (tests.factories.TraineeFactory)."""
    return TraineeFactory(region=region, home_unit=unit, user__email=email, **extra)


def assign(trainee: Trainee, user: User, role: str, start: date = START) -> Assignment:
    """`user`'s role for the trainee from `start` (tests.factories.AssignmentFactory)."""
    return AssignmentFactory(trainee=trainee, user=user, role=role, start_date=start)


def build_world(slug: str, name: str) -> World:
    """The region `slug` with one person in every role (tests.factories.world_build)."""
    return world_build(slug=slug, name=name)


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
