"""Checks on an uploaded review report: a PDF by its content, within the size limit.

The browser's file name and content type are not trusted: the bytes must
start as a PDF does and end with its trailer, and must parse as a PDF. The
file is then read as a PDF reader would read it (names with their `#xx`
escapes decoded, objects unpacked from compressed object streams) and refused
if any object carries active content: scripts, launch and remote actions,
embedded files, or forms. What we store is served byte for byte to the
unit's staff, so nothing a viewer would run may get through. The name the
user gave is kept only to show and to offer on download, cleaned of any path.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

TRAILER_WINDOW = 2048

# Names that make a viewer run, open or submit something: scripts, launching a
# program or another file (a UNC path there leaks the reader's Windows
# credentials), embedded files and rich media, and the names of forms.
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/GoToR",
        "/GoToE",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/RichMediaExecute",
        "/ImportData",
        "/SubmitForm",
    }
)
FORM_NAMES = frozenset({"/AcroForm", "/XFA"})

# A name token as written in the file: `/` then regular characters or `#xx` escapes.
NAME_TOKEN = re.compile(rb"/((?:[^\x00\t\n\x0c\r ()<>\[\]{}/%#]|#[0-9A-Fa-f]{2})+)")
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Over raw bytes (compressed data included) only names too long to occur by chance.
RAW_SCAN_NAMES = frozenset(n for n in ACTIVE_NAMES | FORM_NAMES if len(n) > 6)


def check_report(upload: UploadedFile) -> None:
    """Raise a ValidationError in Swedish unless `upload` is an acceptable PDF report."""
    content = _content_within_limit(upload)
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-TRAILER_WINDOW:]:
        raise ValidationError(
            _("Filen är inte en PDF. Ladda upp granskningsrapporten som PDF."), code="not_pdf"
        )
    found = _first_forbidden_name(content)
    if found in FORM_NAMES:
        raise ValidationError(
            _("PDF-filen innehåller formulärfält och tas inte emot. Spara den som en vanlig PDF."),
            code="form",
        )
    if found:
        raise ValidationError(
            _("PDF-filen innehåller skript eller inbäddade filer och tas inte emot."),
            code="active_content",
        )


def _content_within_limit(upload: UploadedFile) -> bytes:
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
    return content


def _first_forbidden_name(content: bytes) -> str | None:
    """The first active-content or form name in the file, raw or as parsed; None if clean."""
    raw = _forbidden_in_source(content, RAW_SCAN_NAMES)
    if raw:
        return raw
    reader = _reader(content)
    try:
        return _forbidden_in_objects(reader)
    except Exception as error:
        # Whatever pypdf cannot follow, a viewer might: refuse rather than guess.
        raise _unreadable() from error


def _reader(content: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
    except Exception as error:
        raise _unreadable() from error
    if encrypted:
        # Encrypted objects cannot be checked, so they cannot be accepted.
        raise ValidationError(
            _("PDF-filen är krypterad eller lösenordsskyddad. Ladda upp den utan lösenord."),
            code="encrypted",
        )
    return reader


def _unreadable() -> ValidationError:
    return ValidationError(
        _("PDF-filen går inte att läsa. Spara den som PDF på nytt och ladda upp igen."),
        code="unreadable",
    )


def _forbidden_in_objects(reader: PdfReader) -> str | None:
    """Walk every object (listed, referenced or packed in object streams) for a forbidden name."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = [reader.trailer, *_listed_objects(reader)]
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) not in seen:
                seen.add((obj.idnum, obj.generation))
                pending.append(obj.get_object())
        elif isinstance(obj, NameObject) and obj in ACTIVE_NAMES | FORM_NAMES:
            return str(obj)
        elif isinstance(obj, DictionaryObject):
            if obj.get("/Type") == "/ObjStm":
                found = _forbidden_in_source(obj.get_data(), ACTIVE_NAMES | FORM_NAMES)
                if found:
                    return found
            pending.extend(dict.keys(obj))
            pending.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)
    return None


def _listed_objects(reader: PdfReader) -> Iterator[IndirectObject]:
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _forbidden_in_source(source: bytes, names: frozenset[str]) -> str | None:
    """The first of `names` written as a name token in PDF source, `#xx` escapes decoded.

    An object stream holds every object it packs, also one that no
    cross-reference lists; reading its decoded source finds those too.
    """
    for match in NAME_TOKEN.finditer(source):
        token = match.group(1)
        if b"#" in token:
            token = HEX_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), token)
        name = "/" + token.decode("latin-1")
        if name in names:
            return name
    return None


def display_name(name: str) -> str:
    """The uploaded name without any folder, control characters or odd punctuation."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if ch.isprintable())
    base = re.sub(r"[^\w .()-]", "_", base).strip(" .") or "rapport"
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    return f"{stem[:100]}.pdf"
