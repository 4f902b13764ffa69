"""Reading Socialstyrelsen's published målbeskrivning (PDF) into catalogue rows.

The publication sets every goal as a three-column table: the requirement
("Den specialistkompetenta läkaren ska …"), "Utbildningsaktiviteter" and
"Uppföljning". Columns are told apart by the x position of each piece of text,
learnt from the goal's own header row, because whitespace in an extracted line
says nothing reliable about where a column starts. Anything the reader does not
recognise is refused with the page and what was expected, so a different layout
never loads half-understood text as law.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from assessments.catalogue.curriculum_file import (
    GROUP_RANK,
    CurriculumError,
    CurriculumFile,
    GoalRow,
)
from assessments.catalogue.models import Goal, Regulation

INTRO = "Den specialistkompetenta läkaren ska"
ADVICE = "Allmänna råd"
HEADER = re.compile(r"Delmål\s+(?P<code>(?:ST)?c(?P<number>[1-9][0-9]?))\b")
ANY_HEADER = re.compile(r"Delmål\s+(?:ST)?[abc][0-9]+\b")
SCOPE = re.compile(r"För (?P<name>[^\s].*?) gäller (?P<codes>.+?)\.?$")
RANGE = re.compile(
    r"(?P<prefix>(?:ST)?[abc])(?P<first>[0-9]+)\s*[–-]\s*(?:ST)?[abc](?P<last>[0-9]+)"
)
# Line pitch in the publication is 9 pt; a larger step starts a new paragraph.
PARAGRAPH_GAP = 10.5
# A gap this large in the requirement column means the goal's table has ended.
TABLE_END_GAP = 30.0
SAME_LINE = 2.0
# The book's running head and foot (title, publisher, page number) belong to no table.
RUNNING = re.compile(
    r"(?:[0-9]+ )?(?:LÄKARNAS SPECIALISERINGSTJÄNSTGÖRING|SOCIALSTYRELSEN)(?: [0-9]+)?|[0-9]+"
)

ACTIVITY_KINDS = (
    ("klinisk tjänstgöring", "clinical_service"),
    ("kurs", "course"),
    ("auskultation", "auskultation"),
    ("kvalitets- och utvecklingsarbete", "quality_work"),
    ("vetenskapliga principer", "scientific_work"),
    ("skriftligt arbete", "scientific_work"),
    ("seminari", "seminar"),
    ("medsittning", "medsittning"),
    ("teoretiska studier", "theoretical_studies"),
    ("reflektion", "reflection"),
    ("handleda under handledning", "supervising"),
    ("undervisa under handledning", "teaching"),
)
FOLLOW_UP = "intyg om genomförda utbildningsaktiviteter och uppfyllda kompetenskrav utfärdat av "
CERTIFICATE_KINDS = {
    "handledare": "supervisor",
    "kursledare eller handledare": "course_leader_or_supervisor",
}


@dataclass(frozen=True)
class Piece:
    """One run of text on a page, at its left x and baseline y (points)."""

    page: int
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Activity:
    kind: str
    text: str
    # Empty for "Allmänna råd": advice is followed up by nothing.
    certificate: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text, "certificate": self.certificate}


def parse_malbeskrivning(data: bytes) -> CurriculumFile:
    """The specialty's c-goals with their activities; CurriculumError if not understood."""
    pieces = _read_pieces(data)
    name, regulation, count, has_b = _scope(pieces)
    headers = [piece for piece in pieces if HEADER.match(piece.text)]
    rows = [_goal(pieces, header, regulation) for header in headers]
    _check_codes(rows, count, regulation, headers)
    return CurriculumFile(
        specialty_slug=_slug(name),
        specialty_name=name[:1].upper() + name[1:],
        first_line=1,
        has_b_goals=has_b,
        source_note=_("Socialstyrelsens målbeskrivning (%(regulation)s), inläst från PDF")
        % {"regulation": regulation},
        rows=tuple(rows),
    )


def _refuse(page: int | None, expected: str) -> CurriculumError:
    if page is None:
        return CurriculumError([expected])
    return CurriculumError([_("sidan %(page)d: ") % {"page": page} + expected])


def _read_pieces(data: bytes) -> list[Piece]:
    """Every non-blank text run in reading order (page, then top to bottom, then left)."""
    if not data.startswith(b"%PDF"):
        raise _refuse(
            None, _("filen är ingen PDF; väntade Socialstyrelsens målbeskrivning som PDF")
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        pieces: list[Piece] = []
        for number, page in enumerate(reader.pages, start=1):
            pieces += _page_pieces(page, number)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        message = _("filen kan inte läsas som PDF (%(reason)s)")
        raise _refuse(None, message % {"reason": error}) from None
    return sorted(pieces, key=lambda piece: (piece.page, -piece.y, piece.x))


def _page_pieces(page: object, number: int) -> list[Piece]:
    found: list[Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        clean = " ".join(unicodedata.normalize("NFKC", text).split())
        if clean and not RUNNING.fullmatch(clean):
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.extend(_split_header(Piece(number, round(x, 1), round(y, 1), clean)))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def _split_header(piece: Piece) -> list[Piece]:
    """Some runs hold a goal's code and the next column's heading; keep them apart."""
    match = re.fullmatch(r"(Delmål \S+) (Utbildnings-)", piece.text)
    if not match:
        return [piece]
    # The heading's x is unknown here; the columns are learnt from "aktiviteter" instead.
    return [Piece(piece.page, piece.x, piece.y, match[1])]


def _scope(pieces: list[Piece]) -> tuple[str, str, int, bool]:
    """Specialty name, regulation, number of c-goals and whether b-goals apply."""
    for piece in pieces:
        match = SCOPE.match(piece.text)
        if match:
            return _read_scope(piece, match)
    raise _refuse(
        None,
        _(
            'raden "För <specialitet> gäller a1–a6, b1–b5 samt c1–cN." (eller STa, STb, '
            "STc) under Kompetenskrav hittades inte; filen är inte Socialstyrelsens "
            "målbeskrivning"
        ),
    )


def _read_scope(piece: Piece, match: re.Match[str]) -> tuple[str, str, int, bool]:
    ranges = {found["prefix"]: int(found["last"]) for found in RANGE.finditer(match["codes"])}
    if "c" in ranges:
        regulation, prefix_b, count = Regulation.SOSFS_2015_8, "b", ranges["c"]
    elif "STc" in ranges:
        regulation, prefix_b, count = Regulation.HSLF_FS_2021_8, "STb", ranges["STc"]
    else:
        message = _('"%(text)s": väntade en rad som slutar med c1–cN eller STc1–STcN')
        raise _refuse(piece.page, message % {"text": piece.text})
    return match["name"].strip(), regulation, count, prefix_b in ranges


def _slug(name: str) -> str:
    text = name.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _check_codes(rows: list[GoalRow], count: int, regulation: str, headers: list[Piece]) -> None:
    prefix = "c" if regulation == Regulation.SOSFS_2015_8 else "STc"
    expected = [f"{prefix}{n}" for n in range(1, count + 1)]
    found = [row.code for row in rows]
    if found != expected:
        message = _("väntade delmålen %(expected)s i ordning men hittade %(found)s")
        values = {"expected": ", ".join(expected), "found": ", ".join(found) or _("inga")}
        page = headers[0].page if headers else None
        raise _refuse(page, message % values)


def _goal(pieces: list[Piece], header: Piece, regulation: str) -> GoalRow:
    """One goal's table: the pieces from its header down to the next header or gap."""
    match = HEADER.match(header.text)
    assert match is not None
    table = _table(pieces, header)
    activity_x, follow_up_x = _columns(table, header)
    left = [p for p in table if p.x < activity_x - 1]
    middle = [p for p in table if activity_x - 1 <= p.x < follow_up_x - 1]
    right = [p for p in table if p.x >= follow_up_x - 1]
    title, requirement = _requirement(left, header)
    code = match["code"]
    if (regulation == Regulation.SOSFS_2015_8) == code.startswith("ST"):
        message = _('"%(code)s" hör inte till %(regulation)s')
        raise _refuse(header.page, message % {"code": code, "regulation": regulation})
    activities = _activities(middle, right, header)
    return GoalRow(
        line=header.page,
        regulation=regulation,
        code=code,
        group=Goal.Group.C,
        sort_order=GROUP_RANK[Goal.Group.C] * 100 + int(match["number"]),
        title=title,
        requirement_text=requirement,
        is_placeholder=False,
        activities=tuple(activity.as_dict() for activity in activities),
    )


def _table(pieces: list[Piece], header: Piece) -> list[Piece]:
    """Pieces below the header on its page, up to the next goal or the end of the table."""
    page = [p for p in pieces if p.page == header.page and p.y <= header.y + SAME_LINE]
    table: list[Piece] = []
    last_left_y = header.y
    for piece in page:
        if piece is not header and ANY_HEADER.match(piece.text):
            break
        if piece.x <= header.x + 1 and last_left_y - piece.y > TABLE_END_GAP:
            break
        if piece.x <= header.x + 12:
            last_left_y = piece.y
        table.append(piece)
    return table


def _columns(table: list[Piece], header: Piece) -> tuple[float, float]:
    """x of the activity and follow-up columns, from the header row's headings."""
    heading_x = {p.text: p.x for p in table if header.y - p.y < 15}
    activity_x = heading_x.get("aktiviteter") or heading_x.get("Utbildnings-")
    follow_up_x = heading_x.get("Uppföljning")
    if activity_x is None or follow_up_x is None or follow_up_x <= activity_x:
        message = _(
            '%(goal)s: väntade kolumnrubrikerna "Utbildningsaktiviteter" och "Uppföljning" '
            "på samma rad som delmålet"
        )
        raise _refuse(header.page, message % {"goal": header.text})
    return activity_x, follow_up_x


def _requirement(left: list[Piece], header: Piece) -> tuple[str, str]:
    """(title, requirement text) from the first column; the text keeps one line per item."""
    lines = [p.text for p in left if p is not header]
    if INTRO not in lines:
        message = _('%(goal)s: väntade texten "%(intro)s" i första kolumnen')
        raise _refuse(header.page, message % {"goal": header.text, "intro": INTRO})
    start = lines.index(INTRO)
    items: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("–") or not items:
            items.append(line)
        else:
            items[-1] = _join(items[-1], line)
    return _joined(lines[:start]), "\n".join([INTRO, *items])


def _join(before: str, after: str) -> str:
    """Join two lines of one sentence; "mellan-" + "professionell" becomes one word."""
    if (
        re.search(r"[a-zåäö]-$", before)
        and after[:1].islower()
        and after.split()[0]
        not in {
            "och",
            "eller",
        }
    ):
        return before[:-1] + after
    return f"{before} {after}"


def _joined(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = _join(text, line) if text else line
    return text


def _activities(middle: list[Piece], right: list[Piece], header: Piece) -> list[Activity]:
    """The activity paragraphs, each required one paired with the follow-up beside it."""
    body = [p for p in middle if p.text not in {"Utbildnings-", "aktiviteter"}]
    follow = [p for p in right if p.text != "Uppföljning"]
    starts = {round(p.y) for p in follow if p.text.startswith("Intyg")}
    paragraphs = _paragraphs(body, starts)
    activities: list[Activity] = []
    advice = False
    for top, text in paragraphs:
        if text == ADVICE:
            advice = True
            continue
        certificate = "" if advice else _certificate(follow, top, paragraphs, header)
        activities.append(Activity(_activity_kind(text), text, certificate))
    if not activities or not activities[0].certificate:
        message = _('%(goal)s: väntade minst en utbildningsaktivitet med uppföljning ("Intyg …")')
        raise _refuse(header.page, message % {"goal": header.text})
    return activities


def _paragraphs(body: list[Piece], starts: set[int]) -> list[tuple[float, str]]:
    """(top y, text) of each paragraph: a larger step or a follow-up beside starts one."""
    paragraphs: list[tuple[float, list[str]]] = []
    previous_y: float | None = None
    for piece in body:
        new = previous_y is None or previous_y - piece.y > PARAGRAPH_GAP
        if new or round(piece.y) in starts or piece.text == ADVICE:
            paragraphs.append((piece.y, [piece.text]))
        else:
            paragraphs[-1][1].append(piece.text)
        previous_y = piece.y
    return [(top, _joined(lines)) for top, lines in paragraphs]


def _certificate(
    follow: list[Piece], top: float, paragraphs: list[tuple[float, str]], header: Piece
) -> str:
    """The certificate kind of the follow-up text that starts beside the activity."""
    below = [y for y, _text in paragraphs if y < top - SAME_LINE]
    bottom = max(below) if below else float("-inf")
    lines = [p.text for p in follow if top + SAME_LINE >= p.y > bottom + SAME_LINE]
    text = _joined(lines)
    issuer = text.lower().removeprefix(FOLLOW_UP) if text.lower().startswith(FOLLOW_UP) else ""
    if issuer not in CERTIFICATE_KINDS:
        message = _(
            '%(goal)s: uppföljningen "%(text)s" känns inte igen; väntade "Intyg om genomförda '
            'utbildningsaktiviteter och uppfyllda kompetenskrav utfärdat av %(issuers)s"'
        )
        values = {
            "goal": header.text,
            "text": text,
            "issuers": " eller av ".join(CERTIFICATE_KINDS),
        }
        raise _refuse(header.page, message % values)
    return CERTIFICATE_KINDS[issuer]


def _activity_kind(text: str) -> str:
    lowered = text.lower()
    for phrase, kind in ACTIVITY_KINDS:
        if phrase in lowered:
            return kind
    return "other"
