"""Links in e-mails point where the product runs: `make run`'s HOST:PORT, or STPROGRAM_SITE_URL."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from stprogram.reminders import outbox
from stprogram.reminders.services import preference_update
from tests.assessments.test_workflow import _external
from tests.stprogram.test_reminders import CONTRACT_DUE, at, contract_mails, mails_to, scan
from tests.stprogram.test_settings import _run

SITE = "http://127.0.0.1:8080"
PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SITE_URL, s.ALLOWED_HOSTS]))"
)


@pytest.fixture
def on_port_8080(settings):
    """What `PORT=8080 make run` gives every process it starts (see the settings test below)."""
    settings.SITE_URL = SITE
    return SITE


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


@pytest.mark.parametrize(
    ("env", "site"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"HOST": "10.1.2.3", "PORT": "9000"}, "http://10.1.2.3:9000"),
        ({"STPROGRAM_SITE_URL": "https://st.regionblekinge.se", "PORT": "8080"}, None),
    ],
)
def test_make_runs_host_and_port_become_the_site_address(tmp_path, env, site):
    clean = {"DJANGO_SETTINGS_MODULE": "stprogram.settings", "HOST": "", "PORT": ""}
    clean.update({"STPROGRAM_SITE_URL": "", **env})
    result = _run(["-c", PRINT], clean, tmp_path)
    site_url, allowed = json.loads(result.stdout)
    assert site_url == (site or "https://st.regionblekinge.se")
    # The address is also one the server answers on.
    assert site_url.split("//")[1].split(":")[0] in allowed or site is None


def test_reminder_and_digest_mails_link_to_the_running_site(world, on_port_8080):
    day = CONTRACT_DUE - timedelta(days=30)
    preference_update(user=world.trainee.user, email_mode="digest", muted=[], now=at(day))
    scan(day)
    [reminder] = contract_mails(world.supervisor)
    assert outbox.send_digests(at(day + timedelta(days=7))) == 1
    [digest] = mails_to(world.trainee.user)
    for message in (reminder, digest):
        links = _links(message.body) + _links(message.alternatives[0][0])
        assert links
        assert all(link.startswith(f"{SITE}/") for link in links), links


def test_the_assessor_link_is_on_the_running_site(
    world, on_port_8080, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _assessment, raw = _external(world)
    [message] = mail.outbox
    assert f"{SITE}/bedomning/{raw}/" in message.body


def test_the_password_mail_links_to_the_running_site(world, on_port_8080):
    # The request's own host ("testserver" here, an internal name behind a proxy) is not used.
    Client().post("/accounts/password/reset/", {"email": world.trainee.user.email})
    [message] = mail.outbox
    [link] = [link for link in _links(message.body) if "/password/reset/key/" in link]
    assert link.startswith(f"{SITE}/accounts/password/reset/key/")
    assert Client().get(link.removeprefix(SITE), follow=True).status_code == 200
