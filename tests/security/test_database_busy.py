"""Issue 17, finding 10: a locked SQLite database answers "try again shortly", honestly.

On the embedded default the web server and the worker share one SQLite file.
While another connection holds the write lock, a login used to end in a false
"too many attempts" (the rate limit's cache lock could not be written) and
other writes in a 500. Now both get a Swedish 503 with Retry-After.

The test database is in memory; these tests copy it to a file and point the
default connection there, with a short busy timeout, so another connection
can hold a real write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from stprogram.middleware import REFRESHED_AT

BUSY = "Försök igen om en stund"


@pytest.fixture
def database_file(world, tmp_path: Path) -> Iterator[Path]:
    source = connections["default"]
    if source.vendor != "sqlite":
        pytest.skip("the write lock is SQLite's")
    source.ensure_connection()
    path = tmp_path / "db.sqlite3"
    # A dump, not a backup: the test's open transaction holds the fixtures.
    target = sqlite3.connect(path)
    target.executescript("\n".join(source.connection.iterdump()))
    target.close()
    options = {**source.settings_dict["OPTIONS"], "timeout": 0.2}
    wrapper = source.__class__({**source.settings_dict, "NAME": str(path), "OPTIONS": options})
    connections._connections.default = wrapper
    cache.clear()
    try:
        yield path
    finally:
        wrapper.close()
        connections._connections.default = source


@pytest.fixture
def write_lock(database_file: Path) -> Iterator[sqlite3.Connection]:
    """Another process (the worker, say) in the middle of a long write."""
    holder = sqlite3.connect(database_file, isolation_level=None, timeout=0.2)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def _assert_busy(response) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert BUSY in response.content.decode()


def test_a_login_during_a_write_lock_is_told_to_retry_not_rate_limited(world, write_lock):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"login": world.trainee.user.email, "password": "pw-test-123"}
    )
    _assert_busy(response)
    assert "för många" not in response.content.decode().lower()
    write_lock.execute("ROLLBACK")
    write_lock.execute("BEGIN")
    client.post("/accounts/login/", {"login": world.trainee.user.email, "password": "pw-test-123"})
    assert client.session["_auth_user_id"] == str(world.trainee.user.pk)


def test_a_write_during_a_write_lock_gets_a_503_not_a_500(world, database_file):
    client = Client(raise_request_exception=False)
    client.force_login(world.trainee.user, backend="django.contrib.auth.backends.ModelBackend")
    # The session's activity stamp is due: the next page saves the session.
    session = client.session
    session[REFRESHED_AT] = 0
    session.save()
    holder = sqlite3.connect(database_file, isolation_level=None, timeout=0.2)
    holder.execute("BEGIN IMMEDIATE")
    try:
        _assert_busy(client.post("/aviseringar/alla-lasta/"))
        # A page that only reads, whose session middleware then writes.
        _assert_busy(client.get("/aviseringar/"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.get("/aviseringar/").status_code == 200


def test_a_lock_met_outside_a_view_is_a_503_too(rf):
    from django.db import OperationalError

    from stprogram.views import server_error

    try:
        raise OperationalError("database is locked")
    except OperationalError:
        _assert_busy(server_error(rf.get("/")))
    try:
        raise OperationalError("no such table: stprogram_cache")
    except OperationalError:
        assert server_error(rf.get("/")).status_code == 500
