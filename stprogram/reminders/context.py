"""The notification bell in the header: one COUNT query per page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from stprogram.reminders.services import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    """The number of unread notifications of the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
