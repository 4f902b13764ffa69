"""Socialstyrelsen's own fillable forms: installed by the operator, filled by field name.

The project ships no copy of the official PDFs. The operator installs them
(`manage.py install_forms DIR`, or the regional administrator's upload); each
file is recognised by its SHA-256 among the versions listed here and by the
fields the field map writes, and stored under MEDIA_ROOT/var/forms. A form
is the same file for every region (the hash proves it), so it is installed
once for the whole service. Where no official form is installed, the
WeasyPrint draft is used instead.

Filled forms stay fillable (not flattened): a supervisor can still correct a
field before signing. Text that does not fit a field goes to a numbered
continuation sheet that the field refers to.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from stprogram.pdf import pdf_from_html
from trainees.certificates import field_maps
from trainees.certificates.drafts import Draft
from trainees.certificates.registry import FORMS, FormSpec

# pypdf warns for every field that the forms' own font (Century Gothic) is not
# embedded; the viewer draws the fields itself (NeedAppearances), so it is noise.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# The versions of each form that the field maps were written against: the
# SHA-256 of Socialstyrelsen's published PDF (HSLF-FS 2021:8 bilaga 1–12,
# SOSFS 2015:8 bilaga 1–7). A new version is refused until its map is checked.
KNOWN_VERSIONS: dict[str, frozenset[str]] = {
    "2021-01": frozenset({"1d6511f00c1781307023b402214f2ce46aeae920a6f61cce97d8c9657a5aa430"}),
    "2021-02": frozenset({"1f2734cca30635473129dd06e5394fc9fe9848304754fa586a799ee66fb2d704"}),
    "2021-03": frozenset({"47be21a6ad69cc1a6bc4b8e6c2e2af4610266f65541221bdfa4d65c778aa6d68"}),
    "2021-04": frozenset({"bc14100d6b44a9785f83ca559aa05afcf6080e7a704f8ccc389c805b8db3919d"}),
    "2021-05": frozenset({"1658763d771ca8d065a3150e181ebcaeeaa4acca5f7e6fb1059522cbd6c8d00d"}),
    "2021-06": frozenset({"9a463cc848b10c91933929bff1a411b6f7fbab5ddacfe77c71e36feb0fb1272c"}),
    "2021-07": frozenset({"6f50b0cdd619e89342fe1573d4c1cedcdfe3bd7fe45d016310f90b7e604d6944"}),
    "2021-08": frozenset({"3efb6ca1f7f810757227b8527651a538245e2a9b8defdbfa7c0344cb26f8508c"}),
    "2021-09": frozenset({"271772eee1b5a5bf7b641202dd13ad46026c76d3c0827ea7ffe7178827e9016f"}),
    "2021-10": frozenset({"38dd7d3aba84ee5d52cce4f2294234804fd0a73286cab997e4e1b8785361de32"}),
    "2021-11": frozenset({"fcdc36326c7bdc64a7557d74747e9146d172574ccfd78e5d698ae660fc62af23"}),
    "2021-12": frozenset({"3622055911938e2a023604a7ddc1f7cf4b7fb69a330ef88852b554c015bbda88"}),
    "2015-01": frozenset({"9d07640de9eb6ed0fc4c6787f1cf33ff85646859da0029bba6a0d525830a86b4"}),
    "2015-02": frozenset({"386b459338a206b2f8003226e341016b07efc9a87c94e07fd8db61872a8e7ee8"}),
    "2015-03": frozenset({"2d2b9b8e5c0d5e7a30f3ebb9e3a75a99833bebaa64f4ca0ccdc058c2dd63517d"}),
    "2015-04": frozenset({"eb2d6884fcd06aa0a1b111fa705fcd5791776ef778aae78998610f861d5c96b4"}),
    "2015-05": frozenset({"dcfdcf9e26bf6d085627ab619dd31de686040cac79ec8b06ab97bb8fdb1e78d1"}),
    "2015-06": frozenset({"aeb0c0bb87b5b0f8ee4ee9a121c1b60b7e4c515cd501d57cefaf4dacec571bc4"}),
    "2015-07": frozenset({"91be07670b2da06f7181784119047bf85c41323d47b559f4a4aaf40660826313"}),
}
MULTILINE = 1 << 12
CONTINUED = " … (forts. på fortsättningsblad {number})"


def forms_dir() -> Path:
    """Where installed forms live: outside the repository, beside the other private files."""
    return Path(settings.MEDIA_ROOT) / "var" / "forms"


def installed(key: str) -> Path | None:
    """The installed official form with this key ("2021-09"), or None."""
    path = forms_dir() / f"{key}.pdf"
    return path if path.is_file() else None


# --- Installing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    """One installed form: which it is, and the file's hash."""

    key: str
    sha256: str

    @property
    def form(self) -> FormSpec:
        return FORMS[self.key]


def field_names(content: bytes) -> set[str]:
    """The fully qualified field names of a PDF form; ValidationError if it is not a form."""
    try:
        reader = PdfReader(io.BytesIO(content))
        if "/XFA" in reader.trailer["/Root"].get("/AcroForm", {}):
            raise ValidationError(_("Blanketten är en XFA-blankett; bara AcroForm kan fyllas i."))
        return set(reader.get_fields() or {})
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("Filen är ingen läsbar PDF-blankett.")) from exc


def recognise(content: bytes) -> Installed:
    """Which known form this file is, or ValidationError naming the form and what differs."""
    digest = hashlib.sha256(content).hexdigest()
    names = field_names(content)
    key = next((k for k, hashes in KNOWN_VERSIONS.items() if digest in hashes), None)
    key = key or _closest(names)
    if key is None:
        raise ValidationError(_("Filen är inte någon av Socialstyrelsens blanketter som stöds."))
    missing = sorted(set(field_maps.MAPS[key]) - names)
    if digest not in KNOWN_VERSIONS[key] or missing:
        raise ValidationError(_unknown_version(FORMS[key], missing))
    return Installed(key=key, sha256=digest)


def _closest(names: set[str]) -> str | None:
    """The form whose mapped fields are most like the file's (by Jaccard index), if any is close."""
    names = {n for n in names if not n.startswith(("Rensa", "Skriv ut", "Återställ"))}
    share = {key: len(set(m) & names) / len(set(m) | names) for key, m in field_maps.MAPS.items()}
    key = max(share, key=lambda k: share[k])
    return key if share[key] >= 0.4 else None


def _unknown_version(form: FormSpec, missing: list[str]) -> str:
    message = _(
        "Filen liknar %(form)s (%(title)s) men är en okänd version: kontrollsumman (SHA-256) "
        "skiljer sig från de versioner som fältkartan är kontrollerad mot."
    ) % {"form": form.footer, "title": form.title}
    if missing:
        message += " " + _("Fält som saknas: %(fields)s.") % {
            "fields": ", ".join(f"«{name}»" for name in missing[:8])
        }
    return message


def install(*, content: bytes) -> Installed:
    """Recognise the file and store it as the installed version of its form."""
    found = recognise(content)
    target = forms_dir()
    target.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed, so a form being filled is never half a file.
    with tempfile.NamedTemporaryFile(dir=target, delete=False, suffix=".part") as part:
        part.write(content)
    os.replace(part.name, target / f"{found.key}.pdf")
    return found


def install_dir(directory: Path) -> tuple[list[Installed], list[tuple[str, str]]]:
    """Install every PDF in a directory: what was installed, and (file, reason) for the rest."""
    done, refused = [], []
    for path in sorted(directory.glob("**/*.pdf")):
        try:
            done.append(install(content=path.read_bytes()))
        except ValidationError as error:
            refused.append((path.name, " ".join(error.messages)))
    return done, refused


# --- Filling -----------------------------------------------------------------------------


def fill(draft: Draft, applicant: dict[str, str], *, prefix: str = "") -> bytes | None:
    """The official form filled from the draft, continuation sheets after it; None if absent."""
    writer = filled_writer(draft, applicant, prefix=prefix)
    if writer is None:
        return None
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def filled_writer(draft: Draft, applicant: dict[str, str], *, prefix: str = "") -> PdfWriter | None:
    """The filled form as a document still open for merging (a packet appends it unwritten).

    With a prefix, the form's fields are gathered under it ("bilaga-4.Efternamn"),
    so several filled forms can share one packet without sharing values.
    """
    path = installed(draft.form.key)
    if path is None:
        return None
    writer = PdfWriter(clone_from=_blank(str(path), path.stat().st_mtime_ns))
    sheets = field_maps.Sheets()
    context = field_maps.Context(draft=draft, applicant=applicant, sheets=sheets)
    values = field_maps.values(draft.form.key, context)
    if draft.form.key == "2021-05":
        _separate_other_documents(writer)
    values = _fitted(writer, values, sheets)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    if prefix:
        _gather_under(writer, prefix)
    if sheets.items:
        writer.append(PdfReader(io.BytesIO(_continuation_pdf(draft, applicant, sheets))))
    return writer


@functools.lru_cache(maxsize=32)
def _blank(path: str, mtime_ns: int) -> PdfReader:
    """The parsed blank form, kept per process: a packet fills the same forms again and again.

    Keyed by modification time too, so a form installed anew is read anew.
    """
    return PdfReader(path)


def _widgets(writer: PdfWriter) -> dict[str, DictionaryObject]:
    """Each text field's first widget, by fully qualified name."""
    result: dict[str, DictionaryObject] = {}
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            name = _qualified(widget)
            if name and name not in result:
                result[name] = widget
    return result


def _qualified(widget: DictionaryObject) -> str:
    parts, node = [], widget
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        node = node.get("/Parent").get_object() if "/Parent" in node else None
    return ".".join(reversed(parts))


def _inherited(widget: DictionaryObject, key: str) -> object:
    node = widget
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent").get_object() if "/Parent" in node else None
    return None


def _capacity(widget: DictionaryObject) -> tuple[int, int]:
    """(characters per line, lines) that fit the field at its font size, estimated."""
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    size = _font_size(str(_inherited(widget, "/DA") or "")) or 10.0
    per_line = max(int((abs(x2 - x1) - 4) / (size * 0.52)), 1)
    lines = int((abs(y2 - y1) - 2) / (size * 1.2))
    multiline = int(_inherited(widget, "/Ff") or 0) & MULTILINE
    # Two-line boxes are one line of answer under the form's printed label.
    return per_line, lines if multiline and lines >= 3 else 1


def _font_size(da: str) -> float:
    parts = da.split()
    if "Tf" in parts and parts.index("Tf") >= 1:
        try:
            return float(parts[parts.index("Tf") - 1])
        except ValueError:
            return 0.0
    return 0.0


def _fitted(writer: PdfWriter, values: dict[str, str], sheets: field_maps.Sheets) -> dict[str, str]:
    """Values that fit as they are; the rest cut, ending with a reference to their sheet."""
    widgets = _widgets(writer)
    result = {}
    for name, value in values.items():
        widget = widgets.get(name)
        if widget is None or value.startswith("/"):
            result[name] = value
            continue
        per_line, lines = _capacity(widget)
        if lines == 1 and "\n" not in value and per_line < len(value) <= per_line * 1.6:
            # A long name in a table cell: the viewer shrinks it to fit (down to ~6 pt).
            _auto_size(widget)
            per_line = len(value)
        result[name] = _fit(name, value, per_line, lines, sheets)
    return result


def _auto_size(widget: DictionaryObject) -> None:
    da = str(_inherited(widget, "/DA") or "/Helv 10 Tf 0 g").split()
    if "Tf" in da:
        da[da.index("Tf") - 1] = "0"
    widget[NameObject("/DA")] = TextStringObject(" ".join(da))


def _fit(name: str, value: str, per_line: int, lines: int, sheets: field_maps.Sheets) -> str:
    wrapped = _wrap(value, per_line)
    if len(wrapped) <= lines:
        return value
    reference = CONTINUED.format(number=len(sheets.items) + 1)
    keep = max(lines - 1, 0)
    head = wrapped[:keep]
    room = per_line - len(reference)
    last = wrapped[keep] if keep < len(wrapped) else ""
    head.append(last[: max(room, 0)].rsplit(" ", 1)[0] if room > 0 else "")
    shown = "\n".join(head).rstrip()
    rest = value[len(_unwrapped(value, shown)) :].strip()
    sheets.add(name, rest)
    return shown + reference


def _wrap(value: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in value.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=True) or [""])
    return lines


def _unwrapped(value: str, shown: str) -> str:
    """The prefix of `value` that `shown` (its wrapped beginning) covers."""
    position = 0
    for word in shown.split():
        position = value.find(word, position) + len(word)
    return value[:position]


def _separate_other_documents(writer: PdfWriter) -> None:
    """2021:8 bilaga 5: its last four "Bilaga nr" boxes repeat fields of the first list.

    On the official form, the boxes for other documents (doctorate, foreign
    service, individual programme) are widgets of the same fields as the boxes
    for courses to third-country goals, so any number written there would be
    printed twice. They get names of their own before filling and stay blank.
    """
    for index, ref in enumerate(writer.pages[-1].get("/Annots", [])):
        widget = ref.get_object()
        if "/T" in widget or not _qualified(widget).startswith("Bilagor nr.0."):
            continue
        shared = widget["/Parent"].get_object()
        shared["/Kids"].remove(ref)
        for key in ("/FT", "/DA", "/Ff"):
            if key in shared:
                widget[NameObject(key)] = shared[key]
        widget[NameObject("/T")] = TextStringObject(f"övriga-{index}")
        widget[NameObject("/Parent")] = shared["/Parent"]
        shared["/Parent"].get_object()["/Kids"].append(ref)


def _gather_under(writer: PdfWriter, prefix: str) -> None:
    acroform = writer._root_object["/AcroForm"]
    fields = acroform["/Fields"]
    parent = DictionaryObject(
        {NameObject("/T"): TextStringObject(prefix), NameObject("/Kids"): ArrayObject(fields)}
    )
    reference = writer._add_object(parent)
    for field in fields:
        field.get_object()[NameObject("/Parent")] = reference
    acroform[NameObject("/Fields")] = ArrayObject([reference])


def _continuation_pdf(draft: Draft, applicant: dict[str, str], sheets: field_maps.Sheets) -> bytes:
    html = render_to_string(
        "certificates/continuation.html",
        {
            "draft": draft,
            "form": draft.form,
            "applicant": applicant,
            "sheets": sheets.items,
            "pdf": True,
        },
    )
    return pdf_from_html(html)


def merged(documents: list[bytes | PdfWriter]) -> tuple[bytes, int]:
    """Several documents as one PDF, fields kept; and its page count."""
    writer = PdfWriter()
    for document in documents:
        writer.append(document if isinstance(document, PdfWriter) else io.BytesIO(document))
    writer.set_need_appearances_writer(True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), len(writer.pages)
