"""The three tables of an onboarding file and their columns, in the words HR uses.

The headers are the file format and stay Swedish in every interface language.
A workbook has one sheet per table (Enheter, Personal, ST-läkare); a CSV file
holds one table, recognised by its headers. Headers are matched without regard
to case, spacing or a trailing remark in parentheses, and each column accepts
the other names the offices use for it (`aliases`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    # How to fill the column in (the template's instructions); examples are data, not text.
    hint: object = ""


@dataclass(frozen=True)
class Table:
    key: str
    sheet: str
    label: object
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def header(self, key: str) -> str:
        """The column's header as the template names it (for messages)."""
        return next(c.header for c in self.columns if c.key == key)


PERSON_REF = _("HSA-id eller e-postadress")

UNITS = Table(
    "units",
    "Enheter",
    _("enheter"),
    (
        Column(
            "code", "Enhetskod", True, ("enhetens hsa-id", "kostnadsställe"), "SE2321000081-1A2B"
        ),
        Column("name", "Enhetsnamn", True, ("enhet", "namn"), "Vårdcentralen Norr"),
        Column(
            "kind", "Typ", True, ("enhetstyp",), _("Klinik, Vårdcentral eller Sjukhusavdelning")
        ),
        Column("specialty", "Specialitet", True, (), "Allmänmedicin"),
        Column("head_of_unit", "Verksamhetschef", False, (), PERSON_REF),
        Column("study_director", "Studierektor", False, (), PERSON_REF),
    ),
)

PEOPLE = Table(
    "people",
    "Personal",
    _("personal"),
    (
        Column("hsa_id", "HSA-id", False, ("hsaid", "hsa id"), "SE2321000081-abc123"),
        Column("email", "E-post", True, ("e-postadress", "epost", "mejl"), "anna@region.se"),
        Column("first_name", "Förnamn", True, (), "Anna"),
        Column("last_name", "Efternamn", True, (), "Berg"),
        Column(
            "roles",
            "Roll",
            True,
            ("roller",),
            _(
                "Handledare, Studierektor, Verksamhetschef, Regionövergripande studierektor "
                "eller Regional administratör; flera med kommatecken"
            ),
        ),
        Column("unit", "Enhetskod", False, ("enhet",), _("Krävs för enhetens roller")),
    ),
)

TRAINEES = Table(
    "trainees",
    "ST-läkare",
    _("ST-läkare"),
    (
        Column("hsa_id", "HSA-id", False, ("hsaid", "hsa id"), "SE2321000081-st0001"),
        Column("email", "E-post", True, ("e-postadress", "epost", "mejl"), "erik@region.se"),
        Column("first_name", "Förnamn", True, (), "Erik"),
        Column("last_name", "Efternamn", True, (), "Lund"),
        Column("regulation", "Föreskrift", True, (), _("HSLF-FS 2021:8 eller SOSFS 2015:8")),
        Column("specialty", "Specialitet", True, (), "Allmänmedicin"),
        Column("start_date", "Startdatum", True, ("start",), _("ÅÅÅÅ-MM-DD")),
        Column("bt_end", "BT slutar", False, ("bt-slut", "bt slut"), _("ÅÅÅÅ-MM-DD, bara 2021:8")),
        Column("extent", "Omfattning", False, ("omfattning %", "tjänstgöringsgrad"), "100"),
        Column("credited", "Tillgodoräknade månader", False, ("tillgodoräknat",), "0"),
        Column("home_unit", "Hemenhet", True, ("enhetskod",), _("Enhetens kod")),
        Column("main_supervisor", "Huvudhandledare", True, ("handledare",), PERSON_REF),
        Column("study_director", "Studierektor", True, (), PERSON_REF),
        Column("track", "Inriktning", False, (), _("Ordinarie ST, Ledarskaps-ST eller Forskar-ST")),
    ),
)

TABLES = (UNITS, PEOPLE, TRAINEES)


def normalised(header: object) -> str:
    """A header reduced to what identifies it: lower case, no remark, single spaces."""
    text = re.sub(r"\(.*?\)", "", str(header or "")).strip().lower()
    return re.sub(r"\s+", " ", text).rstrip(":*").strip()


def names_of(column: Column) -> set[str]:
    """Every header that means this column."""
    return {normalised(column.header), *map(normalised, column.aliases)}


def table_for(headers: list[str], sheet_name: str = "") -> Table | None:
    """The table these headers (or this sheet's name) are, or None if none fits.

    A sheet named like a table is that table; otherwise the table whose
    required columns are all there and which recognises the most headers.
    """
    by_sheet = {normalised(t.sheet): t for t in TABLES}
    if normalised(sheet_name) in by_sheet:
        return by_sheet[normalised(sheet_name)]
    given = {normalised(h) for h in headers}
    fitting = [
        (sum(bool(names_of(c) & given) for c in t.columns), t)
        for t in TABLES
        if all(names_of(c) & given for c in t.columns if c.required)
    ]
    return max(fitting, key=lambda pair: pair[0])[1] if fitting else None
