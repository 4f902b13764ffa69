"""A request as the region middleware leaves it, for asking a permission door directly."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import RequestFactory

from regions.models import Region
from regions.selectors import memberships_in_region
from stprogram.models import User


def request_as(user: User, region: Region) -> HttpRequest:
    """A GET request by `user` in `region`, with the memberships and roles the doors read."""
    request = RequestFactory().get("/")
    request.user = user
    request.region = region  # type: ignore[attr-defined]
    request.memberships = memberships_in_region(user, region)  # type: ignore[attr-defined]
    request.roles = frozenset(m.role for m in request.memberships)  # type: ignore[attr-defined]
    return request
