"""Bad input for the actions that are not Django forms: one posted choice each.

The packet kind, the signing party, the action plan's party, the review
follow-up's step and the calendar action are read straight from the post.
Whatever is sent, nothing may crash; an unknown choice gets a Swedish message
and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from inspections.models import Inspection
from regions.tenancy import region_context
from supervision import action_plans
from tests.conftest import reauthenticated
from tests.stprogram.bad_input import HTML_PAYLOADS, HUGE_TEXT, changed, row_counts
from trainees import services

BAD_CHOICES = (
    "",
    "\x00",
    "före\x00efter",
    HUGE_TEXT,
    *HTML_PAYLOADS,
    "ordinary\x00",
    " trainee",
    "TRAINEE",
    "1 OR 1=1",
    "😀",
)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _refusal(value: object) -> str:
    if isinstance(value, list):  # the last of several: a party the trainee is not
        return "Du är inte part i egenskap av huvudhandledare."
    return "Välj en av de parter som ska skriva under."


def _posts(client, url: str, field: str, follow: bool = False):
    for value in (*BAD_CHOICES, ["trainee", "main_supervisor"]):
        yield value, client.post(url, {field: value}, follow=follow)
    yield None, client.post(url, {}, follow=follow)


@pytest.fixture
def scene(world):
    today = timezone.localdate()
    with region_context(world.region):
        contract = services.contract_create(
            trainee=world.trainee,
            kind="ordinary",
            terms="Villkor.",
            reason="",
            by=world.trainee.user,
        )
        plan = action_plans.action_plan_create(
            trainee=world.trainee,
            by=world.study_director,
            problem_areas="Dokumentation",
            follow_up_on=today + timedelta(days=30),
            measures=[{"description": "Läsa", "owner_id": world.supervisor.pk, "due": today}],
        )
    inspection = Inspection.unscoped.create(
        region=world.region, unit=world.unit, kind=Inspection.Kind.EXTERNAL, planned_on=today
    )
    return {"contract": contract, "plan": plan, "inspection": inspection}


def test_an_unknown_packet_kind_is_refused_in_swedish(world, scene, login):
    client = login(world.trainee.user)
    url = f"/blekinge/st/{world.trainee.pk}/intyg/paket/"
    before = row_counts()
    for value, response in _posts(client, url, "kind", follow=True):
        assert response.redirect_chain[-1][1] == 302, value
        assert _messages(response) == ["Den ansökan finns inte för din föreskrift."], value
    assert changed(before, row_counts()) == {}


def test_an_unknown_signing_party_is_refused_in_swedish(world, scene, login):
    client = reauthenticated(login(world.trainee.user))
    url = f"/blekinge/st/{world.trainee.pk}/kontrakt/{scene['contract'].pk}/signera/"
    before = row_counts()
    for value, response in _posts(client, url, "party"):
        assert response.status_code == 200, value
        page = response.content.decode()
        assert _refusal(value) in page, value
        for payload in HTML_PAYLOADS:
            assert payload not in page
    assert changed(before, row_counts()) == {}


def test_an_unknown_action_plan_party_is_refused_in_swedish(world, scene, login):
    client = reauthenticated(login(world.trainee.user))
    url = f"/blekinge/st/{world.trainee.pk}/atgardsplan/{scene['plan'].pk}/bekrafta/"
    before = row_counts()
    for value, response in _posts(client, url, "party", follow=True):
        assert response.redirect_chain[-1][1] == 302, value
        assert _messages(response) == [_refusal(value)], value
    assert changed(before, row_counts()) == {}


def test_a_review_follow_up_with_a_bad_step_or_date_keeps_the_review(world, scene, login):
    client = login(world.head_of_unit)
    url = f"/blekinge/granskningar/{scene['inspection'].pk}/uppfoljning/"
    before = row_counts()
    for value in BAD_CHOICES:
        for data in ({"steg": value}, {"steg": "genomford", "follow_up_done_on": value}):
            response = client.post(url, data)
            assert response.status_code in (200, 400), (data, response.status_code)
            assert "Ange ett giltigt datum" in response.content.decode() or (
                "obligatoriskt" in response.content.decode()
            ), data
    assert changed(before, row_counts()) == {}


def test_the_calendar_action_only_revokes_when_asked_to(world, login):
    client = login(world.trainee.user)
    for value in BAD_CHOICES:
        response = client.post("/aviseringar/kalender/", {"action": value})
        assert response.status_code == 200, value
        assert "/kalender/" in response.content.decode()  # a new address, shown once
    response = client.post("/aviseringar/kalender/", {"action": "revoke"})
    assert response.status_code == 302
    assert _messages(response) == ["Kalenderadressen är återkallad och slutar fungera direkt."]
