"""How large a request may be: refused with 413 before anything reads its body.

Without a limit, gunicorn reads whatever body a client sends, and an
anonymous 600 MB POST occupies a worker until the last byte has arrived, only
to be redirected to the login page. The middleware runs first in the stack,
before sessions, CSRF and authentication, and decides from the declared
Content-Length alone. A body sent chunked, without a length, is read up to the
limit and no further. Most routes take `STPROGRAM_REQUEST_MAX_BYTES`; a view
that takes a file declares its own larger limit with `@accepts_upload`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

# Room for a multipart form's boundaries, part headers and other fields beside the file.
FORM_OVERHEAD_BYTES = 64 * 1024

View = Callable[..., HttpResponse]


def accepts_upload(max_file_bytes: Callable[[], int]) -> Callable[[View], View]:
    """Let this view take a request as large as one file of `max_file_bytes()` in a form.

    A callable, not a number, so the setting is read per request (tests change it).
    """

    def mark(view: View) -> View:
        view.max_request_bytes = lambda: max_file_bytes() + FORM_OVERHEAD_BYTES
        return view

    return mark


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose body is larger than its route allows, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = _declared_length(request)
        if declared is None and _is_chunked(request):
            limit = limit_for(request.path_info)
            if not _buffer_chunked_body(request, limit):
                return too_large(limit)
        elif declared is not None and declared > settings.STPROGRAM_REQUEST_MAX_BYTES:
            # Only a request over the general limit costs a URL lookup.
            limit = limit_for(request.path_info)
            if declared > limit:
                return too_large(limit)
        return self.get_response(request)


def limit_for(path: str) -> int:
    """The largest request body, in bytes, that the view at `path` accepts."""
    try:
        view: Any = resolve(path).func
    except Resolver404:
        return settings.STPROGRAM_REQUEST_MAX_BYTES
    larger = getattr(view, "max_request_bytes", None)
    return larger() if larger else settings.STPROGRAM_REQUEST_MAX_BYTES


def too_large(limit: int) -> HttpResponse:
    """The 413 answer, short and in Swedish: no page around it, nothing read or looked up."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Förfrågan är för stor (högst %(size)s) och har inte tagits emot.") % {
            "size": filesizeformat(limit)
        }
    return HttpResponse(message + "\n", status=413, content_type="text/plain; charset=utf-8")


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META["CONTENT_LENGTH"])
    except (KeyError, ValueError):
        return None


def _is_chunked(request: HttpRequest) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


def _buffer_chunked_body(request: HttpRequest, limit: int) -> bool:
    """Read a body sent without a length, at most one byte past `limit`; False if too long.

    Django reads no body without a Content-Length, so one that fits is handed on
    with its length, as nginx would have sent it.
    """
    body = request.META["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        return False
    request.META["CONTENT_LENGTH"] = str(len(body))
    request._stream = LimitedStream(io.BytesIO(body), len(body))
    return True
