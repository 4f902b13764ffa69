"""Sessions end after 30 minutes without a request and 10 hours after login."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PAGE = "/aviseringar/"
LOGIN = "/accounts/login/"
IDLE_MESSAGE = "Du har loggats ut efter 30 minuters inaktivitet."
ABSOLUTE_MESSAGE = "Du har loggats ut eftersom du har varit inloggad i 10 timmar."


@pytest.fixture(autouse=True)
def _clear_rate_limits(db):
    cache.clear()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Travel in time: the session store and the middleware read timezone.now()."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _logged_out_with(client: Client, response, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PAGE}"
    login_page = client.get(response["Location"])
    assert message in login_page.text
    assert client.get(PAGE).status_code == 302


def test_idle_session_ends_with_a_swedish_message(world, login):
    client = login(world.trainee.user)
    start = timezone.now()
    with at(start):
        assert client.get(PAGE).status_code == 200
    with at(start + timedelta(minutes=29)):
        assert client.get(PAGE).status_code == 200
    with at(start + timedelta(minutes=29 + 31)):
        _logged_out_with(client, client.get(PAGE), IDLE_MESSAGE)


def test_activity_keeps_the_session_alive_past_the_idle_limit(world, login):
    client = login(world.trainee.user)
    start = timezone.now()
    for minutes in range(0, 3 * 60, 20):
        with at(start + timedelta(minutes=minutes)):
            assert client.get(PAGE).status_code == 200


def test_session_ends_ten_hours_after_login_however_active(world):
    client = Client()
    start = timezone.now()
    with at(start):
        client.post(LOGIN, {"login": world.trainee.user.email, "password": "pw-test-123"})
    for minutes in range(1, 10 * 60, 25):
        with at(start + timedelta(minutes=minutes)):
            assert client.get(PAGE).status_code == 200
    with at(start + timedelta(hours=10, minutes=1)):
        _logged_out_with(client, client.get(PAGE), ABSOLUTE_MESSAGE)


def test_htmx_request_after_expiry_redirects_the_whole_page(world, login):
    client = login(world.trainee.user)
    start = timezone.now()
    with at(start):
        client.get(PAGE)
    with at(start + timedelta(minutes=31)):
        response = client.get(
            PAGE, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/blekinge/"}
        )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=/blekinge/"
    assert IDLE_MESSAGE in client.get(LOGIN).text


def test_htmx_request_after_the_absolute_limit_redirects_the_whole_page(world, login):
    client = login(world.trainee.user)
    start = timezone.now()
    for minutes in range(0, 10 * 60 + 1, 25):
        with at(start + timedelta(minutes=minutes)):
            client.get(PAGE)
    with at(start + timedelta(hours=10)):
        response = client.get(
            PAGE, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/blekinge/"}
        )
    assert response["HX-Redirect"] == f"{LOGIN}?next=/blekinge/"
    assert ABSOLUTE_MESSAGE in client.get(LOGIN).text


def test_logging_out_is_not_reported_as_inactivity(world, login):
    client = login(world.trainee.user)
    client.get(PAGE)
    client.post("/accounts/logout/")
    page = client.get(PAGE, follow=True)
    assert page.redirect_chain[-1][0] == f"{LOGIN}?next={PAGE}"
    assert "inaktivitet" not in page.text


def test_the_session_is_written_at_most_once_a_minute(world, login):
    client = login(world.trainee.user)
    start = timezone.now()
    with at(start):
        client.get(PAGE)

    def session_writes(moment: datetime) -> int:
        with at(moment), CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return sum("django_session" in q["sql"] and "SELECT" not in q["sql"] for q in queries)

    assert session_writes(start + timedelta(seconds=30)) == 0
    assert session_writes(start + timedelta(seconds=61)) >= 1
