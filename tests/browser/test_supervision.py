"""Supervision in a real browser: log a meeting on a phone, confirm it in place."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from supervision.models import SupervisionMeeting
from trainees.models import Trainee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill("st-demo-2026")
    page.get_by_role("button", name="Logga in").click()


def test_meeting_logged_on_a_phone_is_confirmed_in_place(browser, live_server):
    call_command("seed_demo", quiet=True)
    trainee = Trainee.unscoped.get(user__email="bt@blekinge.demo")
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, "bt@blekinge.demo")
    page.wait_for_url("**/min-st/")
    page.get_by_role("link", name="Logga handledarsamtal").first.click()
    page.get_by_label("Längd i minuter").fill("45")
    page.get_by_label("Ämnen").fill("Akuta bröstsmärtor")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Handledarsamtalet är loggat.")).to_be_visible()
    phone.close()

    desk = browser.new_context(base_url=live_server.url)
    page = desk.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, "hh2@blekinge.demo")
    page.wait_for_url("**/handledare/")
    queue = page.locator("#queue")
    expect(queue.get_by_role("heading", level=2)).to_contain_text("(1)")
    queue.get_by_role("button", name="Bekräfta").click()
    expect(queue.get_by_text("Inget väntar på dig just nu.")).to_be_visible()
    assert page.url.endswith("/blekinge/handledare/")
    meeting = SupervisionMeeting.unscoped.get(trainee=trainee, minutes=45)
    assert meeting.confirmed_at is not None
    desk.close()
