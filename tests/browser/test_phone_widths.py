"""Issue 25 item 2: no page scrolls sideways on a 360 px phone, for any demo persona.

Each demo persona (the same 51 as the link crawl in tests/stprogram) opens,
in Chromium at 360 × 740, every page reachable by links from their start
page, one page of each kind, and on each the document may be no wider than
the screen: `document.documentElement.scrollWidth <= innerWidth`. A wide
table may scroll inside itself; the page may not.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from devtools.seeding import DEMO_REGIONS, DEMO_STAFF, DEMO_TWO_REGION_EMAIL
from stprogram.models import User
from tests.browser.widths import offenders, scrolls_sideways
from tests.conftest import reauthenticated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINEE_ACCOUNTS = ("st2015", "st2021", "st2021b", "bt")
PERSONAS = [
    f"{who}@{region}.demo" for region in DEMO_REGIONS for who in (*TRAINEE_ACCOUNTS, *DEMO_STAFF)
] + [DEMO_TWO_REGION_EMAIL]
PHONE = {"width": 360, "height": 740}
PAGES_PER_PERSONA = 80
NOT_FOLLOWED = ("account_logout",)
LINKS = """() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))"""


def _key(path: str) -> tuple | None:
    """(URL name, arguments) of a page of the product; None for anything else."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, tuple(sorted(match.kwargs.items()))


def _pages(base: str, hrefs: list[str]) -> list[str]:
    """The product's own HTML pages among the links (downloads do not end in a slash)."""
    found = []
    for href in hrefs:
        href, _anchor = urldefrag((href or "").strip())
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", base):
            continue
        if parts.path.startswith("/") and parts.path.endswith("/"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _session(browser, live_server, email: str):
    """A phone-sized browser logged in as `email` (freshly re-authenticated, as before signing)."""
    client = reauthenticated(_logged_in(email))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="sv-SE")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def _logged_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _wide_pages(page, email: str, host: str) -> tuple[list[str], int]:
    """Follow the persona's links breadth first, one page of each kind: the wide ones, the count."""
    seen_kinds: set[str] = set()
    queue = deque([reverse("home")])
    wide, visited = [], 0
    while queue and visited < PAGES_PER_PERSONA:
        url = queue.popleft()
        visited += 1
        page.goto(url)
        if scrolls_sideways(page):
            wide.append(f"{email} {url}: {offenders(page)}")
        for target in _pages(host, page.evaluate(LINKS)):
            key = _key(urlsplit(target).path)
            if key is None or key[0] in NOT_FOLLOWED or key[0] in seen_kinds:
                continue
            seen_kinds.add(key[0])
            queue.append(target)
    return wide, visited


def test_no_page_scrolls_sideways_on_a_360_px_phone(browser, live_server):
    call_command("seed_demo", quiet=True)
    host = urlsplit(live_server.url).netloc
    problems, total = [], 0
    for email in PERSONAS:
        context = _session(browser, live_server, email)
        page = context.new_page()
        page.set_default_timeout(15_000)
        wide, visited = _wide_pages(page, email, host)
        problems += wide
        total += visited
        context.close()
    assert not problems, "\n".join(problems)
    assert total >= 8 * len(PERSONAS)  # the crawl got past the door
