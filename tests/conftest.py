"""Fixtures shared by every test: two regions with a person in each role, a frozen clock."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from regions import tenancy
from stprogram.models import User
from tests.clock import clock_freeze
from tests.factories import World, world_build

# Test code builds and inspects every region's rows, like a management command;
# requests, tasks and `region_context` blocks narrow the PostgreSQL scope as in
# production (tests/stprogram/test_row_level_security.py checks the wall itself).
tenancy.set_default_scope(tenancy.ALL_REGIONS)

# Hypothesis's timing checks measure the machine, not the rules: a busy 2-core
# machine (helpers and the suite in parallel) failed properties on them.
settings.register_profile("stprogram", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("stprogram")


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
    return world_build(slug="blekinge", name="Region Blekinge")


@pytest.fixture
def elsewhere(db: None) -> World:
    """Halland: the other region, whose people must never see Blekinge's data."""
    return world_build(slug="halland", name="Region Halland")


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
