"""One cell at a time: the offices' ways of writing a value, read into ours.

Each parser returns the value or raises `CellError` with a Swedish message
that names what was expected; the caller adds the line and the column.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from assessments.models import Regulation
from regions.models import Role, Unit
from stprogram.models import HSA_ID_PATTERN
from trainees.models import Trainee

type Cell = str | date | int | float | None

ROLE_WORDS = {
    "handledare": Role.SUPERVISOR,
    "huvudhandledare": Role.SUPERVISOR,
    "studierektor": Role.STUDY_DIRECTOR,
    "verksamhetschef": Role.HEAD_OF_UNIT,
    "regionövergripande studierektor": Role.REGIONAL_STUDY_DIRECTOR,
    "regional studierektor": Role.REGIONAL_STUDY_DIRECTOR,
    "regional administratör": Role.REGIONAL_ADMIN,
    "administratör": Role.REGIONAL_ADMIN,
}


class CellError(Exception):
    """A value that cannot be read; the message says what was expected."""


def text(value: Cell, *, max_length: int) -> str:
    """A text cell, trimmed; too long is refused rather than cut."""
    result = "" if value is None else str(value).strip()
    if len(result) > max_length:
        raise CellError(_("högst %(n)s tecken") % {"n": max_length})
    return result


def required(value: Cell) -> Cell:
    """The value, or CellError if the cell is empty."""
    if value is None or str(value).strip() == "":
        raise CellError(_("saknas"))
    return value


def email(value: Cell) -> str:
    """An e-mail address, in lower case."""
    address = text(required(value), max_length=254).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise CellError(_("”%(v)s” är ingen giltig e-postadress") % {"v": address}) from None
    return address


def hsa_id(value: Cell) -> str:
    """An HSA-id (SE, ten digits, hyphen, letters or digits), or '' for an empty cell."""
    result = text(value, max_length=31)
    # The prefix is upper case by rule; the part after the hyphen is kept as given.
    if result[:2].lower() == "se":
        result = "SE" + result[2:]
    if result and not re.fullmatch(HSA_ID_PATTERN, result):
        raise CellError(
            _("”%(v)s” är inget HSA-id (SE, tio siffror, bindestreck, bokstäver eller siffror)")
            % {"v": result}
        )
    return result


def person_ref(value: Cell) -> tuple[str, str]:
    """A reference to a person: ('hsa', id) or ('email', address)."""
    raw = text(required(value), max_length=254)
    if raw.upper().startswith("SE") and "@" not in raw:
        return "hsa", hsa_id(raw)
    return "email", email(raw)


def day(value: Cell) -> date | None:
    """A date: a spreadsheet date, or ÅÅÅÅ-MM-DD (also ÅÅÅÅMMDD); None if empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(raw, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise CellError(_("”%(v)s” är inget datum (ÅÅÅÅ-MM-DD)") % {"v": raw})


def whole(value: Cell, *, default: int, low: int, high: int) -> int:
    """A whole number within [low, high]; '75 %' and '75,0' read as 75."""
    if value in (None, ""):
        return default
    raw = str(value).replace("%", "").replace(",", ".").strip()
    try:
        number = float(raw)
    except ValueError:
        raise CellError(_("”%(v)s” är inget tal") % {"v": value}) from None
    if number != int(number) or not low <= number <= high:
        raise CellError(_("ett heltal från %(low)s till %(high)s") % {"low": low, "high": high})
    return int(number)


def regulation(value: Cell) -> str:
    """The regulation: anything naming 2015:8 or 2021:8."""
    raw = text(required(value), max_length=40)
    if "2015" in raw:
        return Regulation.SOSFS_2015_8
    if "2021" in raw:
        return Regulation.HSLF_FS_2021_8
    raise CellError(_("”%(v)s”: ange SOSFS 2015:8 eller HSLF-FS 2021:8") % {"v": raw})


def choice(value: Cell, choices: list[tuple[str, str]], default: str | None = None) -> str:
    """One of `choices`, by its label or its value, in any case."""
    if value in (None, "") and default is not None:
        return default
    raw = text(required(value), max_length=100).lower()
    for key, label in choices:
        if raw in (str(key).lower(), str(label).lower()):
            return key
    listed = ", ".join(str(label) for _key, label in choices)
    raise CellError(_("”%(v)s”: ange en av %(choices)s") % {"v": raw, "choices": listed})


def unit_kind(value: Cell) -> str:
    """The kind of unit: Klinik, Vårdcentral or Sjukhusavdelning."""
    return choice(value, Unit.Kind.choices)


def track(value: Cell) -> str:
    """The trainee's track; ordinary ST when the cell is empty."""
    return choice(value, Trainee.Track.choices, default=Trainee.Track.ORDINARY)


def roles(value: Cell) -> list[str]:
    """One or more staff roles, separated by commas."""
    words = [w.strip().lower() for w in text(required(value), max_length=300).split(",")]
    unknown = [w for w in words if w and w not in ROLE_WORDS]
    if unknown:
        raise CellError(
            _(
                "okänd roll ”%(v)s”: ange Handledare, Studierektor, Verksamhetschef, "
                "Regionövergripande studierektor eller Regional administratör"
            )
            % {"v": unknown[0]}
        )
    return list(dict.fromkeys(ROLE_WORDS[w] for w in words if w))
