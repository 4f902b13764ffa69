"""Bad input for forms: hypothesis strategies, valid base data, and what a rejection must look like.

A form page is probed by posting valid data with one field replaced by something
hostile. Whatever comes back, nothing may crash; a rejection must re-render the
form with a Swedish message and leave every table as it was; an acceptance must
store what was sent and show it escaped.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.apps import apps
from django.db import models
from django.utils import timezone
from hypothesis import strategies as st

MISSING = object()
HUGE_TEXT = "x" * 100_001
HTML_PAYLOADS = (
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>fet</b> & <i>kursiv</i>",
)
NASTY_TEXT = (
    "\x00",
    "före\x00efter",
    HUGE_TEXT,
    *HTML_PAYLOADS,
    "\u202eevil\u202c",
    "\ufeffBOM",
    "e\u0301\u0301\u0301",
    "😀" * 50,
    "\u200b",
    "ｆｕｌｌｗｉｄｔｈ",
    "Ω≈ç√∫",
    "a\r\nb\rc\x0bd\x0ce",
    "\x01\x02\x1b[31m",
    "' OR 1=1 --",
    "${jndi:ldap://x}",
    "{{ 7*7 }}{% debug %}",
)
BAD_DATES = (
    "0000-01-01",
    "10000-01-01",
    "1900-02-30",
    "2025-02-29",
    "2025-13-01",
    "2025-00-10",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "-2025-01-01",
    "2025-12-31T10:00:00",
    "31/12/2025",
    "1e10",
    "today",
)
BAD_INTS = (
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    "9" * 40,
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "1_000",
    "١٢٣",
    "½",
    "-0",
)
BAD_KEYS = ("0", "-1", str(2**63), "9" * 40, "abc", "1.0", "1 OR 1=1", "[1]")

CONTROL = st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So"))


def bad_text() -> st.SearchStrategy[str]:
    """Hostile text: fixed nasties, control and format characters, anything at all."""
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(alphabet=CONTROL, min_size=1, max_size=20),
        st.text(min_size=1, max_size=40),
    )


def bad_date() -> st.SearchStrategy[str]:
    """Dates that do not exist, far past and future ones, and things that are not dates."""
    return st.one_of(
        st.sampled_from(BAD_DATES),
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
        st.integers().map(str),
    )


def bad_int() -> st.SearchStrategy[str]:
    """Numbers beyond 64 bits, floats, words, other scripts' digits."""
    return st.one_of(st.sampled_from(BAD_INTS), st.integers().map(str))


def kind_of(field: forms.Field) -> str:
    """How a form field is attacked: text, date, int, key, choice, flag or file."""
    if isinstance(field, forms.BooleanField):
        return "flag"
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.ModelChoiceField):
        return "key"
    if isinstance(field, forms.IntegerField):
        return "int"
    if isinstance(field, forms.TypedChoiceField) and field.coerce is int:
        return "int"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    return "text"


def bad_value(kind: str) -> st.SearchStrategy[Any]:
    """A bad value for a field of the kind: its own kind of wrongness, or any other."""
    own = {"date": bad_date(), "int": bad_int(), "key": st.sampled_from(BAD_KEYS)}
    options = [st.just(MISSING), bad_text(), st.lists(bad_text(), min_size=2, max_size=3)]
    if kind in own:
        options.insert(0, own[kind])
    return st.one_of(*options)


def valid_value(field: forms.Field) -> Any:
    """A value the field accepts on its own (form-wide rules are the case's business)."""
    today = timezone.localdate().isoformat()
    if isinstance(field, forms.FileField):
        return "valid"
    if isinstance(field, forms.ModelChoiceField):
        return str(field.queryset.order_by("pk").first().pk)
    if isinstance(field, forms.MultipleChoiceField):
        return [str(next(v for v, _label in field.choices if v != ""))]
    if isinstance(field, forms.ChoiceField):
        return str(next(v for v, _label in field.choices if v != ""))
    if isinstance(field, forms.DateField):
        return today
    if isinstance(field, forms.IntegerField):
        return str(field.initial if field.initial is not None else field.min_value or 0)
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.EmailField):
        return "bedomare@example.se"
    return "Text"


def form_data(form: forms.Form, prefix: str | None = None) -> dict[str, Any]:
    """Valid values for the form's required fields, under their HTML names."""
    return {
        form.add_prefix(name) if prefix is None else f"{prefix}-{name}": valid_value(field)
        for name, field in form.fields.items()
        if field.required
    }


def formset_data(formset: forms.BaseFormSet) -> dict[str, Any]:
    """Management data for one filled row (or the minimum) and that row's values."""
    rows = max(formset.min_num, 1)
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(rows),
        f"{formset.prefix}-INITIAL_FORMS": "0",
        f"{formset.prefix}-MIN_NUM_FORMS": str(formset.min_num),
        f"{formset.prefix}-MAX_NUM_FORMS": str(formset.max_num),
    }
    row = formset.empty_form
    for index in range(rows):
        data |= form_data(row, f"{formset.prefix}-{index}")
    return data


def fields_of(form: forms.Form | forms.BaseFormSet) -> Iterator[tuple[str, forms.Field]]:
    """(HTML name, field) for every field a post could carry, formset rows included."""
    if isinstance(form, forms.BaseFormSet):
        for name, field in form.empty_form.fields.items():
            yield f"{form.prefix}-0-{name}", field
        return
    for name, field in form.fields.items():
        yield form.add_prefix(name), field


def distinct_fields(fields: dict[str, forms.Field]) -> dict[str, forms.Field]:
    """One field per kind of definition: a questionnaire's forty comment boxes behave alike."""
    seen: dict[tuple[Any, ...], str] = {}
    for name, field in fields.items():
        key = (name.rsplit("-", 1)[-1], type(field), field.required, kind_of(field))
        seen.setdefault(key, name)
    return {name: fields[name] for name in seen.values()}


# --- What must be refused -------------------------------------------------------------------


def must_reject(field: forms.Field, value: Any, foreign_keys: set[str]) -> bool:
    """Whether any sane form refuses the value for the field (a value that may pass is False)."""
    if isinstance(field, forms.BooleanField):
        return False
    if value is MISSING:
        return field.required
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not isinstance(field, forms.MultipleChoiceField):
        values = [value[-1]]
    for one in values:
        if isinstance(one, tuple):
            # An upload's name is cleaned by the product, not refused.
            continue
        if _refused(field, one, foreign_keys):
            return True
    return False


def _refused(field: forms.Field, value: str, foreign_keys: set[str]) -> bool:
    stripped = value.strip()
    if "\x00" in value:
        return True
    if isinstance(field, forms.ModelChoiceField):
        return stripped in foreign_keys or (stripped != "" and not stripped.isdecimal())
    max_length = getattr(field, "max_length", None)
    if max_length and len(stripped) > max_length:
        return True
    if isinstance(field, forms.DateField) and stripped:
        return not _is_date(stripped)
    if isinstance(field, forms.IntegerField) and stripped:
        return not re.fullmatch(r"[+-]?\d+", stripped) or abs(int(stripped)) >= 2**63
    return False


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


# --- What a rejection looks like ------------------------------------------------------------

_ERRORS = re.compile(
    r'<(ul|div|p|li)[^>]*class="[^"]*(errorlist|errorsummary|message--error)[^"]*"[^>]*>'
    r"(.*?)</\1>",
    re.S,
)
_TAG = re.compile(r"<[^>]+>")
ENGLISH = re.compile(
    r"\b(this|field|enter|ensure|select|valid|value|characters?|required|allowed|the|is|are)\b",
    re.I,
)
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(inte|ange|välj|fält|måste|får|kan|datum\w*|giltig\w*|värde|tecken|saknas"
    r"|ogiltig\w*|rad|kolumn|fyll|kontrollera|högst|minst|rätta|formuläret|finns|bara|har|och|att|ett|en|den|det"
    r"|som|till|med|av|om|ska|beskriv|innan|redan)\b",
    re.I,
)


def error_texts(content: str) -> list[str]:
    """The texts of the page's error lists, summaries and error messages."""
    found = []
    for match in _ERRORS.finditer(content):
        text = html.unescape(_TAG.sub(" ", match.group(3))).strip()
        if text:
            found.append(" ".join(text.split()))
    return found


def unswedish(texts: list[str], posted: Any) -> list[str]:
    """The error texts that are not clear Swedish (the echoed bad value itself is ignored)."""
    echoes = [v for v in (posted if isinstance(posted, list) else [posted]) if isinstance(v, str)]
    bad = []
    for text in texts:
        plain = text
        for echo in echoes:
            plain = plain.replace(" ".join(echo.split()), " ") if echo.strip() else plain
        if ENGLISH.search(plain) or not SWEDISH.search(plain):
            bad.append(text)
    return bad


# --- Nothing half-saved ---------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows in every table, past any region scoping (the base manager is never scoped)."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


_TEXTUAL = (models.CharField, models.TextField, models.JSONField)


def stored(value: str) -> bool:
    """Whether some row holds the text exactly (in a text column or inside a JSON document)."""
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, _TEXTUAL)]
        if not names:
            continue
        for row in model._base_manager.values_list(*names).iterator():
            if any(_holds(cell, value) for cell in row):
                return True
    return False


def _holds(cell: Any, value: str) -> bool:
    if isinstance(cell, str):
        return value in cell or (cell[:1] in "[{" and value in _decoded(cell))
    if isinstance(cell, dict | list):
        return value in json.dumps(cell, ensure_ascii=False) or any(
            _holds(v, value) for v in (cell.values() if isinstance(cell, dict) else cell)
        )
    return False


def _decoded(cell: str) -> str:
    try:
        return json.dumps(json.loads(cell), ensure_ascii=False)
    except ValueError:
        return ""
