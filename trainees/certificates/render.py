"""Rendering drafts: HTML from the form templates, PDF with WeasyPrint.

WeasyPrint fetches only our own static files (the print CSS and the bundled
font) through `stprogram.pdf`: a certificate carries a personnummer.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from pypdf import PdfWriter

from stprogram.pdf import pdf_from_html, render_document
from trainees.certificates import official
from trainees.certificates.drafts import Draft, applicant
from trainees.models import Trainee


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


def certificate_pdf(trainee: Trainee, draft: Draft) -> bytes:
    """One certificate as PDF: Socialstyrelsen's own form filled where it is installed."""
    filled = official.fill(draft, applicant(trainee, full_personnummer=True))
    if filled is not None:
        return filled
    return pdf_from_html(draft_html(trainee, draft, full_personnummer=True, pdf=True))


def packet_pdf(trainee: Trainee, drafts: list[Draft]) -> tuple[bytes, int]:
    """The application and every certificate as one PDF, and its page count (in the worker)."""
    if any(official.installed(d.form.key) for d in drafts):
        return _official_packet(trainee, drafts)
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
    document = render_document(html)
    return document.write_pdf(), len(document.pages)


def _official_packet(trainee: Trainee, drafts: list[Draft]) -> tuple[bytes, int]:
    """Each form filled on its own (fields kept apart by attachment number) and merged."""
    person = applicant(trainee, full_personnummer=True)
    documents: list[bytes | PdfWriter] = []
    for draft in drafts:
        prefix = f"bilaga-{draft.number}" if draft.number else "ansokan"
        filled = official.filled_writer(draft, person, prefix=prefix)
        if filled is None:
            filled = pdf_from_html(draft_html(trainee, draft, full_personnummer=True, pdf=True))
        documents.append(filled)
    return official.merged(documents)
