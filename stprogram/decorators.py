"""View decorators for region pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Log in, then require one of `roles` in the URL's region (403 otherwise).

    The region middleware has already answered 404 to anyone with no role in
    the region at all, so a 403 here only tells a colleague in the same region
    that the page belongs to another role.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.memberships:
                # A rotation guest must not learn which pages exist.
                raise Http404
            if not set(roles) & request.roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def region_member(view: View) -> View:
    """Log in and hold any role in the URL's region (checked by the middleware)."""
    return login_required(view)
