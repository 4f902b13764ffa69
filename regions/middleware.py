"""Resolve `/<region>/…` URLs to the active region, or answer 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from regions import tenancy
from regions.models import Region
from regions.selectors import GUEST, memberships_in_region
from trainees.selectors import has_active_grant


class RegionMiddleware:
    """Activate the URL's region for the request if the user holds a role in it.

    Anyone without a role in the region gets the same 404 as for a region that
    does not exist, so a URL never tells an outsider what is there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.region = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        request.roles = frozenset()  # type: ignore[attr-defined]
        # No region until the URL names one; the database shows the user's own
        # cross-region rows (memberships, grants, reminders) and nothing else.
        token = tenancy.activate(None)
        user = request.user
        user_token = tenancy.set_user(user.pk if user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            tenancy.reset_user(user_token)
            tenancy.deactivate(token)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        slug = kwargs.pop("region", None)
        if slug is None:
            return None
        if not request.user.is_authenticated:
            # Let the view's login_required send the visitor to the login page.
            return None
        region = Region.objects.filter(slug=slug).first()
        if region is not None:
            tenancy.activate(region)
        memberships = memberships_in_region(request.user, region) if region else []
        if memberships:
            roles = frozenset(m.role for m in memberships)
        elif region is not None and has_active_grant(request.user, region):
            # A supervisor from another region during a rotation: no role here,
            # only the rotation pages the grant names (see trainees.permissions).
            roles = frozenset({GUEST})
        else:
            raise Http404
        request.region = region  # type: ignore[attr-defined]
        request.memberships = memberships  # type: ignore[attr-defined]
        request.roles = roles  # type: ignore[attr-defined]
        return None
