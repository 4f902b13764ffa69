"""Checks on an uploaded review report: a PDF by its content, within the size limit.

The browser's file name and content type are not trusted: the bytes must
start as a PDF does and end with its trailer, and active content (scripts,
launch actions, embedded files) is refused. The name the user gave is kept
only to show and to offer on download, cleaned of any path.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ACTIVE_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|OpenAction)\b")
TRAILER_WINDOW = 2048


def check_report(upload: UploadedFile) -> None:
    """Raise a ValidationError in Swedish unless `upload` is an acceptable PDF report."""
    limit = settings.STPROGRAM_REPORT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("Filen är för stor: högst %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-TRAILER_WINDOW:]:
        raise ValidationError(
            _("Filen är inte en PDF. Ladda upp granskningsrapporten som PDF."), code="not_pdf"
        )
    if ACTIVE_CONTENT.search(content):
        raise ValidationError(
            _("PDF-filen innehåller skript eller inbäddade filer och tas inte emot."),
            code="active_content",
        )


def display_name(name: str) -> str:
    """The uploaded name without any folder, control characters or odd punctuation."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if ch.isprintable())
    base = re.sub(r"[^\w .()-]", "_", base).strip(" .") or "rapport"
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    return f"{stem[:100]}.pdf"
