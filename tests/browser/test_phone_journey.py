"""Issue 25 item 2: a meeting logged on a 390 px phone in at most six taps, confirmed and
a completed assessment signed by the supervisor on their phone too."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from stprogram.models import User
from supervision.models import SupervisionMeeting
from tests.browser.widths import PASSWORD, log_in, scrolls_sideways
from trainees.models import Trainee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


class Taps:
    """Counts the taps of a journey (typing into a field after tapping it is not a tap)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, locator) -> None:
        self.n += 1
        locator.tap()


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True, locale="sv-SE"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def test_a_meeting_is_logged_in_six_taps_and_signed_off_on_a_phone(browser, live_server):
    call_command("seed_demo", quiet=True)
    trainee = Trainee.unscoped.get(user__email="bt@blekinge.demo")
    supervisor = User.objects.get(email="hh2@blekinge.demo")
    context, page = _phone(browser, live_server)
    log_in(page, "bt@blekinge.demo")
    page.wait_for_url("**/min-st/")
    assert not scrolls_sideways(page)

    tap = Taps()
    logga = page.get_by_role("link", name="Logga handledarsamtal").first
    expect(logga).to_be_in_viewport()  # on the first screen, no scrolling to find it
    tap(logga)
    expect(page.get_by_role("heading", name="Logga handledarsamtal")).to_be_visible()
    # Date, length and what was discussed come first; the date is today already.
    labels = page.locator("main form label").all_inner_texts()
    assert [t.split(" (")[0] for t in labels[:3]] == ["Datum", "Längd i minuter", "Ämnen"]
    tap(page.get_by_label("Längd i minuter"))
    page.get_by_label("Längd i minuter").fill("40")
    tap(page.get_by_label("Ämnen"))
    page.get_by_label("Ämnen").fill("Handläggning av astma")
    tap(page.get_by_role("button", name="Spara"))
    expect(page.get_by_text("Handledarsamtalet är loggat.")).to_be_visible()
    assert tap.n <= 6
    context.close()

    Assessment.unscoped.create(
        region=trainee.region,
        trainee=trainee,
        method="mini-cex",
        status="completed",
        goal_codes=["BT1"],
        performed_on=date(2026, 11, 2),
        assessor=supervisor,
        requested_by=trainee.user,
        data={},
    )
    context, page = _phone(browser, live_server)
    log_in(page, "hh2@blekinge.demo")
    page.wait_for_url("**/handledare/")
    assert not scrolls_sideways(page)
    queue = page.locator("#queue")
    queue.get_by_role("button", name="Bekräfta").first.tap()
    expect(queue.get_by_role("heading", name="Handledarsamtal att bekräfta")).to_have_count(0)
    meeting = SupervisionMeeting.unscoped.get(trainee=trainee, minutes=40)
    assert meeting.confirmed_at is not None

    page.locator("#queue").get_by_role("link", name="Mini-CEX").first.tap()
    page.get_by_role("link", name="Underteckna").tap()
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Verifiera").tap()
    page.get_by_role("button", name="Underteckna").tap()
    expect(page.get_by_text("Bedömningen är undertecknad och låst.")).to_be_visible()
    assert not scrolls_sideways(page)
    context.close()
