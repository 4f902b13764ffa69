"""Each role's start page at laptop and phone size: pictures for the README (`make screenshots`).

The pictures go to a temporary folder unless STPROGRAM_SCREENSHOTS names one
(the Makefile target passes docs/screenshots). Either way the start pages are
checked not to scroll sideways on the phone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.widths import log_in, offenders, scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (file name, persona): one for each role's start page.
ROLES = [
    ("trainee", "st2021@blekinge.demo"),
    ("supervisor", "hh2@blekinge.demo"),
    ("study-director", "sr@blekinge.demo"),
    ("head-of-unit", "vc@blekinge.demo"),
    ("regional-study-director", "rsr@blekinge.demo"),
    ("regional-admin", "admin@blekinge.demo"),
]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def folder(tmp_path) -> Path:
    chosen = os.environ.get("STPROGRAM_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_start_page_pictures(browser, live_server, folder):
    call_command("seed_demo", quiet=True)
    for name, email in ROLES:
        for size, viewport in SIZES.items():
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, locale="sv-SE"
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            log_in(page, email)
            page.wait_for_load_state("networkidle")
            if size == "phone":
                assert not scrolls_sideways(page), offenders(page)
            # The first screen, as a person sees it when the page opens.
            page.screenshot(path=str(folder / f"{name}-{size}.png"))
            context.close()
        assert (folder / f"{name}-phone.png").stat().st_size > 0
