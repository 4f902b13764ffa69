"""Journeys through the trainee's programme in a real browser."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from trainees.models import Trainee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill("st-demo-2026")
    page.get_by_role("button", name="Logga in").click()


def test_recording_parental_leave_moves_the_planned_end(page):
    call_command("seed_demo", quiet=True)
    trainee = Trainee.unscoped.get(user__email="bt@blekinge.demo")
    _log_in(page, "bt@blekinge.demo")
    page.wait_for_url("**/blekinge/min-st/")
    planned = page.locator("dt:has-text('Beräknat slutdatum') + dd")
    before = date.fromisoformat(planned.inner_text().strip())
    page.get_by_role("link", name="Registrera frånvaro").click()
    page.get_by_label("Typ").select_option("parental")
    # Leave already taken (the engine ignores what lies after today, as the spec says).
    page.get_by_label("Från och med").fill("2026-10-01")
    page.get_by_label("Till och med").fill("2026-10-10")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**/blekinge/st/{trainee.pk}/")
    expect(planned).to_have_text((before + timedelta(days=10)).isoformat())
    expect(page.get_by_role("cell", name="2026-10-01 – 2026-10-10")).to_be_visible()


def test_bad_dates_get_a_message_and_nothing_is_saved(page):
    call_command("seed_demo", quiet=True)
    _log_in(page, "bt@blekinge.demo")
    page.wait_for_url("**/min-st/")
    page.get_by_role("link", name="Registrera frånvaro").click()
    page.get_by_label("Från och med").fill("2026-12-10")
    page.get_by_label("Till och med").fill("2026-12-01")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Slutdatum kan inte vara före startdatum.")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
