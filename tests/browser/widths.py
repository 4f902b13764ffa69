"""Helpers for the phone-size checks: log in through the form, measure sideways scrolling."""

from __future__ import annotations

from typing import Any

from devtools.seeding import DEMO_PASSWORD as PASSWORD

SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def log_in(page: Any, email: str) -> None:
    """Log in through the login form and wait for the start page."""
    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def scrolls_sideways(page: Any) -> bool:
    """Whether the page is wider than the screen, so that it scrolls sideways."""
    return bool(page.evaluate(SIDEWAYS))


OFFENDERS = """() => {
  const w = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > w + 0.5)
    .filter((el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return false;
        if (a.getBoundingClientRect().right > w + 0.5) return false;
      }
      return true;
    })
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase()
      + (typeof el.className === 'string' && el.className ? '.' + el.className.trim() : '')
      + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


def offenders(page: Any) -> list[str]:
    """The outermost elements that reach past the right edge of the screen."""
    return list(page.evaluate(OFFENDERS))
