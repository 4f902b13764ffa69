"""Smoke: a person logs in with a demo account and lands on their role's page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email: str) -> None:
    page.goto("/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill("st-demo-2026")
    page.get_by_role("button", name="Logga in").click()


def test_trainee_logs_in_and_lands_on_min_st(page):
    call_command("seed_demo", quiet=True)
    _log_in(page, "st2015@blekinge.demo")
    page.wait_for_url("**/blekinge/min-st/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min ST")
    expect(page.get_by_text("SOSFS 2015:8")).to_be_visible()


def test_study_director_lands_on_the_unit_overview(page):
    call_command("seed_demo", quiet=True)
    _log_in(page, "sr@blekinge.demo")
    page.wait_for_url("**/blekinge/studierektor/")
    table = page.get_by_role("table", name="ST-läkare vid mina enheter")
    table.get_by_role("link", name="Sara Lind").click()
    page.wait_for_url("**/blekinge/st/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Lind")


def test_wrong_password_shows_a_swedish_message(page):
    call_command("seed_demo", quiet=True)
    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill("st2015@blekinge.demo")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("felaktigt").first).to_be_visible()
    assert page.url.endswith("/accounts/login/")
