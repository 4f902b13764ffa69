"""Rendering drafts: HTML from the form templates, PDF with WeasyPrint.

WeasyPrint fetches only our own static files (the print CSS and the bundled
font): a certificate carries a personnummer, and a template must never be
able to make the renderer read a local file or call out to the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from trainees.certificates.drafts import Draft, applicant
from trainees.models import Trainee

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


def draft_html(
    trainee: Trainee,
    draft: Draft,
    *,
    full_personnummer: bool,
    pdf: bool,
    embedded: bool = False,
    toolbar: SafeString | str = "",
) -> str:
    """One form, filled: a whole document, or (embedded) one article for the packet."""
    context = {
        "form": draft.form,
        "draft": draft,
        "f": draft.fields,
        "applicant": applicant(trainee, full_personnummer=full_personnummer),
        "pdf": pdf,
        "embedded": embedded,
        "toolbar": toolbar,
    }
    # The forms are Swedish documents whatever the viewer's language.
    with translation.override("sv"):
        return render_to_string(draft.form.template, context)


def _document(html: str) -> Document:
    fetcher = StaticOnlyFetcher(timeout=2)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()


def pdf_from_html(html: str) -> bytes:
    """Render HTML to PDF with the static-only fetcher."""
    return _document(html).write_pdf()


def certificate_pdf(trainee: Trainee, draft: Draft) -> bytes:
    """One certificate draft as PDF (fast enough for the request)."""
    return pdf_from_html(draft_html(trainee, draft, full_personnummer=True, pdf=True))


def packet_pdf(trainee: Trainee, drafts: list[Draft]) -> tuple[bytes, int]:
    """The application and every certificate as one PDF, and its page count (in the worker)."""
    articles = [
        draft_html(trainee, d, full_personnummer=True, pdf=True, embedded=True) for d in drafts
    ]
    html = render_to_string(
        "certificates/packet.html",
        {
            "articles": mark_safe("\n".join(articles)),
            "applicant": applicant(trainee, full_personnummer=False),
        },
    )
    document = _document(html)
    return document.write_pdf(), len(document.pages)
