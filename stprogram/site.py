"""Addresses on this site for places with no request to ask: e-mails and calendars."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """`path` on the address the product runs at (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path
