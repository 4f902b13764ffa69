"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files.

A rendered document may carry a personnummer or a unit's review data: a
template must never make the renderer read a local file or call out to the
network. Certificate drafts and the pre-inspection pack render through here.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The documents' own origin: never resolved on a network, only mapped to static files.
BASE_URL = "https://intyg.stprogram.invalid/"


def static_file(url: str) -> Path | None:
    """The static file a URL points at, if it is one of ours; otherwise None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parts.path.startswith(prefix):
        return None
    relative = PurePosixPath(unquote(parts.path[len(prefix) :]))
    if relative.is_absolute() or ".." in relative.parts:
        return None
    try:
        found = finders.find(str(relative))
    except SuspiciousFileOperation:
        return None
    return Path(found) if isinstance(found, str) else None


class StaticOnlyFetcher(URLFetcher):
    """Serves our static files and refuses every other URL (file:, http:, data: …)."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """The static file's bytes, or ValueError (WeasyPrint then leaves the resource out)."""
        path = static_file(url)
        if path is None:
            raise ValueError("Only the project's own static files may be fetched.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_document(html: str) -> Document:
    """Lay out HTML as pages; only our static files can be fetched."""
    fetcher = StaticOnlyFetcher(timeout=2)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()


def pdf_from_html(html: str) -> bytes:
    """Render HTML to PDF with the static-only fetcher."""
    return render_document(html).write_pdf()
