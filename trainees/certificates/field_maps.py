"""Which record goes into which field of Socialstyrelsen's own fillable forms.

One map per form: the form's field name (as the official PDF names it, after
its label) to a function of the draft. Written by hand from the forms; the
official PDFs themselves are never part of the project (the operator installs
them, see `official.py`). Fields the records cannot answer (signatures, the
signer's personnummer, "Ort och datum", the applicant's address) are left
out, so they stay blank for the person who signs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trainees.certificates import service_list as sv
from trainees.certificates.drafts import Draft
from trainees.certificates.records import Person

CHECKED = "/Ja"


@dataclass
class Sheets:
    """The continuation sheets of one filled form, numbered from 1 in the order they are added."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, heading: str, text: str) -> int:
        """Add a sheet; its number, for the field that refers to it."""
        self.items.append((heading, text))
        return len(self.items)


@dataclass
class Context:
    """What a field map reads: the draft, the applicant block and the continuation sheets."""

    draft: Draft
    applicant: dict[str, str]
    sheets: Sheets
    _rows: list[tuple[str, str, str, str]] | None = None

    @property
    def f(self) -> dict[str, Any]:
        return self.draft.fields

    def signer(self, index: int) -> Person | None:
        signers = self.draft.signers
        return signers[index] if index < len(signers) else None

    def service_rows(self, capacity: int) -> list[tuple[str, str, str, str]]:
        """The service list cut to the form's rows; the rest on one continuation sheet."""
        if self._rows is None:
            rows = [
                (
                    r.place,
                    sv.period(r.start, r.end),
                    str(r.extent_percent),
                    sv.months_text(r.fte_months),
                )
                for r in self.f.get("rows", [])
            ]
            if len(rows) > capacity:
                rest = rows[capacity - 1 :]
                text = "\n".join("   ".join(row) for row in rest)
                number = self.sheets.add("Tjänsteförteckning (fortsättning)", text)
                rows = [
                    *rows[: capacity - 1],
                    (f"Forts. på fortsättningsblad {number}", "", "", ""),
                ]
            self._rows = rows
        return self._rows


Getter = Callable[[Context], str]
FieldMap = dict[str, Getter]


def _applicant(key: str) -> Getter:
    return lambda c: c.applicant.get(key, "")


def _field(key: str) -> Getter:
    return lambda c: str(c.f.get(key) or "")


def _person(index: int, attribute: str) -> Getter:
    def get(c: Context) -> str:
        person = c.signer(index)
        return getattr(person, attribute) if person is not None else ""

    return get


def _number(c: Context) -> str:
    return str(c.draft.number or "")


def _attached(form_number: int) -> Getter:
    return lambda c: c.f.get("attached", {}).get(str(form_number), "")


def _row(capacity: int, index: int, column: int) -> Getter:
    def get(c: Context) -> str:
        rows = c.service_rows(capacity)
        return rows[index][column] if index < len(rows) else ""

    return get


def _sum(c: Context) -> str:
    return sv.months_text(c.f["sum"]) if "sum" in c.f else ""


def _capacity_is(capacity: str) -> Getter:
    return lambda c: CHECKED if c.f.get("capacity") == capacity else ""


def _if_supervisor(getter: Getter) -> Getter:
    # "gäller endast handledare": a course leader's specialty is not asked for.
    return lambda c: getter(c) if c.f.get("capacity") != "kursledare" else ""


APPLICANT: FieldMap = {
    "Efternamn": _applicant("last"),
    "Förnamn": _applicant("first"),
    "Personnummer": _applicant("personnummer"),
}
WITH_SPECIALTY: FieldMap = {
    **APPLICANT,
    "Specialitet som ansökan avser": _applicant("specialty"),
}
SIGNER_2021: FieldMap = {
    "Namnförtydligande": _person(0, "name"),
    "Specialitet": _person(0, "specialty"),
    "Tjänsteställe": _person(0, "workplace"),
}
SIGNER_2015: FieldMap = SIGNER_2021
PARTS = "Redogör för vilken eller vilka delar av tjänstgöringen som genomförts inom"
GOALS_2021 = "Delmål som intyget avser tex STa1 STb1 STc1"
GOALS_2015 = "Delmål som intyget avser tex a1 b1 c1"
ACTIVITIES_LONG = (
    "Utbildningsaktiviteter som sökanden genomfört för att uppnå delmål tex kliniska "
    "tjänstgöringar under handledning kurser eller tidigare tjänstgöring Om intyget avser "
    "flera delmål beskriv vilka utbildningsaktiviteter som avser vilka delmål"
)
CHECKS_LONG = (
    "Hur det kontrollerats att sökanden uppnått delmål tex bedömningar av kliniskt "
    "omhändertagande eller kursexaminationer Om intyget avser flera delmål beskriv vilka "
    "kontroller som avser vilka delmål"
)


def _service_2021(row_suffixes: list[str]) -> FieldMap:
    """The 2021 service list's columns for each of the form's rows, and the sum."""
    columns = (
        "Tjänstgöringsställe sjukhus klinik enhet eller annan specificering",
        "Period ååmmddååmmdd",
        "Tjänstgöringens omfatt ning i procent av heltid",
        "Tjänstgöringens omfatt ning omräknad till månader på heltid",
    )
    return _service(columns, row_suffixes, f"{columns[3]}Summa")


def _service(columns: tuple[str, ...], suffixes: list[str], total: str) -> FieldMap:
    capacity = len(suffixes)
    result: FieldMap = {
        f"{name}{suffix}": _row(capacity, index, column)
        for index, suffix in enumerate(suffixes)
        for column, name in enumerate(columns)
    }
    result[total] = _sum
    return result


MAP_2021: dict[int, FieldMap] = {
    1: {
        **APPLICANT,
        "Epostadress": _applicant("email"),
        "Arbetsplats": _applicant("workplace"),
        "Bilagor nr.0": _attached(2),
        "Bilagor nr.1": _attached(3),
        "Bilagor nr.2": _attached(4),
    },
    2: {
        "Bilaga nr": _number,
        **APPLICANT,
        "Delmål som intyget avser tex BT1 BT2": _field("goals"),
        ACTIVITIES_LONG: _field("activities"),
        CHECKS_LONG: _field("checks"),
        **SIGNER_2021,
    },
    3: {
        "Bilaga nr": _number,
        **APPLICANT,
        **_service_2021([f"Row{n}" for n in range(1, 19)]),
        f"{PARTS} primärvård": _field("primary_care"),
        f"{PARTS} akut sjukvård": _field("emergency"),
        "Namnförtydligande": _person(0, "name"),
        "Tjänsteställe": _person(0, "workplace"),
    },
    4: {
        "Bilaga nr": _number,
        **APPLICANT,
        **SIGNER_2021,
        "Namnförtydligande_2": _person(1, "name"),
        "Specialitet_2": _person(1, "specialty"),
        "Tjänsteställe_2": _person(1, "workplace"),
    },
    5: {
        **WITH_SPECIALTY,
        "Epostadress": _applicant("email"),
        "Arbetsplats": _applicant("workplace"),
        **{f"Bilagor nr.0.{i}": _attached(6 + i) for i in range(7)},
    },
    6: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        **_service_2021(
            [f"Row{n}" for n in range(1, 20)] + [f"Row{n}_2" for n in range(1, 20)] + ["Row20"]
        ),
        "Namnförtydligande": _person(0, "name"),
        "Tjänsteställe": _person(0, "workplace"),
    },
    7: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        **SIGNER_2021,
        "Namnförtydligande_2": _person(1, "name"),
        "Specialitet_2": _person(1, "specialty"),
        "Tjänsteställe_2": _person(1, "workplace"),
    },
    8: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2021: _field("goals"),
        "Tjänstgöringsställe för auskultation": _field("place"),
        "Period ååmmdd  ååmmdd": _field("period"),
        "Beskrivning av auskultationen": _field("description"),
        **SIGNER_2021,
    },
    9: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2021: _field("goals"),
        "Tjänstgöringsställe för klinisk tjänstgöring": _field("place"),
        "Period ååmmdd  ååmmdd": _field("period"),
        "Beskrivning av den kliniska tjänstgöringen": _field("description"),
        **SIGNER_2021,
    },
    10: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2021: _field("goals"),
        "Kursens ämne anges i rubrikform": _field("subject"),
        "Beskrivning av kursen": _field("description"),
        "Handledare": _capacity_is("handledare"),
        "Kursledare": _capacity_is("kursledare"),
        "Namnförtydligande": _person(0, "name"),
        "Specialitet gäller endast handledare": _if_supervisor(_person(0, "specialty")),
        "Tjänsteställe": _person(0, "workplace"),
    },
    11: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2021: _field("goals"),
        "Utvecklingsarbetets ämne anges i rubrikform": _field("subject"),
        "Beskrivning av STläkarens deltagande i utvecklingsarbetet": _field("description"),
        **SIGNER_2021,
    },
    12: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        "Utbildningsaktiviteter som sökanden genomfört för att uppnå delmålet tex kliniska "
        "tjänstgöringar under handledning kurser eller tidigare tjänstgöring": _field("activities"),
        "Hur det kontrollerats att sökanden uppnått delmålet tex bedömningar av kliniskt "
        "omhändertagande eller kursexaminationer": _field("checks"),
        **SIGNER_2021,
    },
}


def _study_director(attribute: str) -> Getter:
    def get(c: Context) -> str:
        person = c.f.get("study_director")
        return getattr(person, attribute) if person is not None else ""

    return get


def _activity_2015(place: str, description: str) -> FieldMap:
    return {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2015: _field("goals"),
        place: _field("place_period"),
        description: _field("description"),
        **SIGNER_2015,
    }


def _subject_2015(subject: str, description: str) -> FieldMap:
    return {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2015: _field("goals"),
        subject: _field("subject"),
        description: _field("description"),
        **SIGNER_2015,
    }


MAP_2015: dict[int, FieldMap] = {
    1: {
        **WITH_SPECIALTY,
        "Epostadress": _applicant("email"),
        "Arbetsplats": _applicant("workplace"),
        **_service(
            (
                "Tjänstgöringsställe Sjukhus klinik enhet eller annan specificering",
                "Period ååmmdd  ååmmdd",
                "Tjänstgöringens omfattning i pro cent av heltid",
                "Tjänstgöringens omfattning om räknad till måna der på heltid",
            ),
            [f"Row{n}" for n in range(1, 34)],
            "Tjänstgöringens omfattning om räknad till måna der på heltidSumma",
        ),
        # Bilaga nr … nr_6: the attachments of SOSFS-bilaga 2 to 7, in the list's order.
        "Bilaga nr": _attached(2),
        **{f"Bilaga nr_{n}": _attached(n + 1) for n in range(2, 7)},
    },
    2: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        "Namnförtydligande": _person(0, "name"),
        "Tjänsteställe": _person(0, "workplace"),
        "Efternamn_Stu": _study_director("last"),
        "Förnamn_Stu": _study_director("first"),
        "Tjänsteställe_Stu": _study_director("workplace"),
        "Specialitet": _person(0, "specialty"),
        "Tjänsteställe_2": _person(0, "workplace"),
        "Namnförtydligande_2": _person(0, "name"),
        "Specialitet_2": _person(1, "specialty"),
        "Handledarutbildning årtal": _person(1, "training_year"),
        "Tjänsteställe_3": _person(1, "workplace"),
        "Namnförtydligande_3": _person(1, "name"),
    },
    3: _activity_2015(
        "Tjänstgöringsställe och period ååmmdd  ååmmdd för auskultationen",
        "Beskrivning av auskultationen",
    ),
    4: _activity_2015(
        "Tjänstgöringsställe och period ååmmdd  ååmmdd för den kliniska tjänstgöringen",
        "Beskrivning av den kliniska tjänstgöringen",
    ),
    5: {
        "Bilaga nr": _number,
        **WITH_SPECIALTY,
        GOALS_2015: _field("goals"),
        "Ämne i rubrikform och period ååmmdd  ååmmdd för kursen": _field("subject_period"),
        "Kursledare": _field("leader"),
        "Beskrivning av kursen": _field("description"),
        # Kryssruta1 is "Kursledare", Kryssruta2 "Handledare", in the form's order.
        "Kryssruta1": _capacity_is("kursledare"),
        "Kryssruta2": _capacity_is("handledare"),
        "Specialitet om den intygande personen är specialistkompetent läkare": _if_supervisor(
            _person(0, "specialty")
        ),
        "Tjänsteställe": _person(0, "workplace"),
        "Namnförtydligande": _person(0, "name"),
    },
    6: _subject_2015(
        "Ämne för kvalitets och utvecklingsarbete i rubrikform",
        "Beskrivning av kvalitets och utvecklingsarbetet",
    ),
    7: _subject_2015(
        "Ämne för självständigt skriftligt arbete i rubrikform",
        "Beskrivning av det självständiga skriftliga arbetet",
    ),
}

MAPS: dict[str, FieldMap] = {
    **{f"2021-{n:02d}": m for n, m in MAP_2021.items()},
    **{f"2015-{n:02d}": m for n, m in MAP_2015.items()},
}


def values(key: str, context: Context) -> dict[str, str]:
    """The form's field values for this draft (empty ones left out)."""
    result = {}
    for name, getter in MAPS[key].items():
        if value := getter(context):
            result[name] = value
    return result
